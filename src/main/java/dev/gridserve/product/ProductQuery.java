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
        List<SortSpec> thenBy,
        Cursor cursor,
        Set<String> fields,
        Set<String> facets) {

    public static final int MAX_PAGE_SIZE = 1000;
    /** Keys of a multi-column sort, the first included. */
    public static final int MAX_SORT_KEYS = 3;

    public ProductQuery {
        if (page < 1 || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page/page_size out of range");
        }
        if (sortBy == SortKey.RELEVANCE && terms.isEmpty()) {
            throw new IllegalArgumentException("relevance needs search terms");
        }
        thenBy = List.copyOf(thenBy);
        if (thenBy.size() >= MAX_SORT_KEYS
                || thenBy.stream().anyMatch(t -> t.key() == SortKey.RELEVANCE || t.key() == sortBy)
                || thenBy.stream().map(SortSpec::key).distinct().count() < thenBy.size()) {
            throw new IllegalArgumentException("bad tie-breaking sort keys");
        }
        terms = List.copyOf(terms);
        categories = Set.copyOf(categories);
        brands = Set.copyOf(brands);
        tags = Set.copyOf(tags);
        fields = fields == null ? null : Set.copyOf(fields);
        facets = Set.copyOf(facets);
    }

    /**
     * A canonical text of everything that shapes the answer: equivalent requests (other parameter order, tag
     * order or case) give the same text. Used as a cache key.
     */
    public String canonical() {
        StringBuilder sb = new StringBuilder(128);
        sb.append("p=").append(page).append("&s=").append(pageSize);
        list(sb.append("&t="), new java.util.TreeSet<>(terms));
        list(sb.append("&c="), new java.util.TreeSet<>(categories));
        list(sb.append("&b="), new java.util.TreeSet<>(brands));
        list(sb.append("&g="), new java.util.TreeSet<>(tags));
        sb.append("&pr=").append(minPriceCents).append(',').append(maxPriceCents);
        sb.append("&st=").append(minStock).append(',').append(maxStock);
        sb.append("&r=").append(minRating);
        sb.append("&o=").append(sortBy.wire()).append(descending ? ",d" : ",a");
        for (SortSpec t : thenBy) { // absent for one key, so single-key requests keep their cache keys
            sb.append(';').append(t.key().wire()).append(t.descending() ? ",d" : ",a");
        }
        sb.append("&k=").append(cursor == null ? "" : cursor.encode());
        list(sb.append("&f="), fields == null ? null : new java.util.TreeSet<>(fields));
        list(sb.append("&x="), new java.util.TreeSet<>(facets));
        return sb.toString();
    }

    private static void list(StringBuilder sb, java.util.Collection<String> values) {
        if (values == null) {
            sb.append("*");
            return;
        }
        for (String v : values) {
            ProductJson.string(sb, v);
        }
    }

    /** Rows to skip before this page when paging by number. */
    public long offset() {
        return (long) (page - 1) * pageSize;
    }
}
