package dev.gridserve.search;

import java.util.List;
import java.util.Map;

/**
 * One page of a list: rows as their stored wire JSON (never re-serialized), the exact total, paging numbers and,
 * when asked, facet counts over the whole filtered set.
 */
public record Page(
        List<String> rows,
        long total,
        int page,
        int pageSize,
        long totalPages,
        String nextCursor,
        Map<String, List<FacetCount>> facets) {

    public record FacetCount(String value, long count) {}
}
