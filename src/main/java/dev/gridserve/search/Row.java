package dev.gridserve.search;

/**
 * One row of a table as the index takes it: its id, the change that last wrote it, its wire JSON (stored and
 * served as is) and its field values by schema name. Values are typed by the field: text and keywords as
 * {@code String}, keyword lists as {@code List<String>}, integers and longs as {@code Number}, decimals as
 * {@code BigDecimal}, doubles as {@code Double}, booleans as {@code Boolean}, timestamps as {@code Instant};
 * null when the row has none.
 */
public interface Row {
    long id();

    long version();

    String json();

    Object value(String field);
}
