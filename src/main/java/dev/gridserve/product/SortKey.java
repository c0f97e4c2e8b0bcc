package dev.gridserve.product;

import java.util.Arrays;
import java.util.Optional;

/** The allow-list of sortable fields, declared once; the index maps each to its doc-values field. */
public enum SortKey {
    NAME("name"),
    PRICE("price"),
    CREATED_AT("created_at"),
    UPDATED_AT("updated_at"),
    RATING("rating"),
    STOCK("stock"),
    REVIEWS_COUNT("reviews_count"),
    RELEVANCE("relevance");

    private final String wire;

    SortKey(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<SortKey> fromWire(String s) {
        return Arrays.stream(values()).filter(k -> k.wire.equals(s)).findFirst();
    }

    public static String allowed() {
        return String.join(", ", Arrays.stream(values()).map(SortKey::wire).toList());
    }
}
