package dev.gridserve.product;

/** One key of a multi-column sort ({@code sort=price:asc,name:desc}): after the first, each breaks ties. */
public record SortSpec(SortKey key, boolean descending) {
    public String wire() {
        return key.wire() + ":" + (descending ? "desc" : "asc");
    }
}
