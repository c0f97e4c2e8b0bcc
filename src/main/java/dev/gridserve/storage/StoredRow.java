package dev.gridserve.storage;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of a schema-defined table as stored: its id, the change that last wrote it, and its field values by
 * name, typed by the field ({@code String}; {@code List<String>} for keyword lists; {@code Integer}, {@code Long},
 * {@code BigDecimal}, {@code Double}, {@code Boolean}; {@code Instant} for timestamps; absent or null for none).
 */
public record StoredRow(long id, Map<String, Object> values, long version) {
    public StoredRow {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public Object value(String field) {
        return values.get(field);
    }
}
