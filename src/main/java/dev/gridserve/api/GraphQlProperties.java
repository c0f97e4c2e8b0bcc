package dev.gridserve.api;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits that keep one GraphQL request from costing more than a handful of REST ones: how deeply it may nest
 * ({@code GRAPHQL_MAX_DEPTH}) and its complexity ({@code GRAPHQL_MAX_COMPLEXITY}): every field selected counts
 * 1, and a table's list also counts a tenth of its page size (a list of 1,000 rows costs 100 plus its fields).
 */
@ConfigurationProperties("gridserve.graphql")
record GraphQlProperties(Integer maxDepth, Integer maxComplexity) {
    static final int DEFAULT_MAX_DEPTH = 15;
    static final int DEFAULT_MAX_COMPLEXITY = 500;

    GraphQlProperties {
        maxDepth = maxDepth == null ? DEFAULT_MAX_DEPTH : maxDepth;
        maxComplexity = maxComplexity == null ? DEFAULT_MAX_COMPLEXITY : maxComplexity;
        if (maxDepth < 3 || maxDepth > 100) {
            throw new IllegalArgumentException("GRAPHQL_MAX_DEPTH (gridserve.graphql.max-depth) must be 3 to 100");
        }
        if (maxComplexity < 10 || maxComplexity > 100_000) {
            throw new IllegalArgumentException(
                    "GRAPHQL_MAX_COMPLEXITY (gridserve.graphql.max-complexity) must be 10 to 100000");
        }
    }
}
