package dev.gridserve.product;

import java.util.List;
import java.util.Set;

/**
 * Everything a list, facet or stats request asks for, already validated and normalised: search terms and
 * filter keys are folded, prices are in cents. Hard caps are enforced here so no caller can bypass them.
 */
public record ProductQuery(
        int page,
        int pageSize,
        List<String> terms,
        Set<String> categories,
        Set<String> brands,
        Set<String> tags,
        Long minPriceCents,
        Long maxPriceCents,
        Integer minStock,
        Integer maxStock,
        Double minRating,
        SortKey sortBy,
        boolean descending,
        Cursor cursor,
        Set<String> fields,
        Set<String> facets) {

    public static final int MAX_PAGE_SIZE = 1000;

    public ProductQuery {
        if (page < 1 || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page/page_size out of range");
        }
        if (sortBy == SortKey.RELEVANCE && terms.isEmpty()) {
            throw new IllegalArgumentException("relevance needs search terms");
        }
        terms = List.copyOf(terms);
        categories = Set.copyOf(categories);
        brands = Set.copyOf(brands);
        tags = Set.copyOf(tags);
        fields = fields == null ? null : Set.copyOf(fields);
        facets = Set.copyOf(facets);
    }

    /** A query with only filters: what stats and reconciliation use. */
    public static ProductQuery all() {
        return new ProductQuery(
                1,
                1,
                List.of(),
                Set.of(),
                Set.of(),
                Set.of(),
                null,
                null,
                null,
                null,
                null,
                SortKey.CREATED_AT,
                true,
                null,
                null,
                Set.of());
    }

    /** Rows to skip before this page when paging by number. */
    public long offset() {
        return (long) (page - 1) * pageSize;
    }
}
