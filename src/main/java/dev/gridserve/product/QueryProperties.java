package dev.gridserve.product;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits of list requests. {@code resultWindow} bounds page-number paging (offset + page_size); deeper pages
 * are reached with cursors, which cost the same at any depth.
 */
@ConfigurationProperties("gridserve.query")
public record QueryProperties(int defaultPageSize, int resultWindow, int maxSearchLength) {
    public QueryProperties {
        defaultPageSize = defaultPageSize <= 0 ? 50 : Math.min(defaultPageSize, ProductQuery.MAX_PAGE_SIZE);
        resultWindow = resultWindow <= 0 ? 100_000 : resultWindow;
        maxSearchLength = maxSearchLength <= 0 ? 200 : maxSearchLength;
    }
}
