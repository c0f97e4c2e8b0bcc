package dev.gridserve.schema;

import java.math.BigDecimal;
import java.util.List;

/**
 * What a value of a field may be: {@code maxLength} characters (of each item, for a keyword list), between
 * {@code min} and {@code max} (numbers), one of {@code allowed} (keywords), at most {@code maxItems} items (keyword
 * lists). A null bound is no bound; {@code allowed} is empty when any value is allowed.
 */
public record Limits(Integer maxLength, BigDecimal min, BigDecimal max, List<String> allowed, Integer maxItems) {
    public Limits {
        allowed = allowed == null ? List.of() : List.copyOf(allowed);
    }
}
