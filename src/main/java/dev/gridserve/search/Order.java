package dev.gridserve.search;

/** One key of a sort: a sortable field (or {@link IndexLayout#RELEVANCE}) and its direction. */
public record Order(String field, boolean descending) {
    /** As the API writes it: {@code price:asc}. */
    public String wire() {
        return field + ":" + (descending ? "desc" : "asc");
    }
}
