package dev.gridserve.schema;

/**
 * One field of a table, as its schema file declares it: its type and what may be done with it. Sortability,
 * filterability, facets and stats are properties of the field, so the storage, the index and the API all read
 * them from here. {@code scale} is the number of decimal places of a decimal (0 for other types); {@code system}
 * marks the timestamps every table keeps by itself (created_at, updated_at), which no request may set.
 * {@code lowercase} (keywords and keyword lists) stores every value in lower case, and a list's items once each.
 */
public record FieldDef(
        String name,
        FieldType type,
        int scale,
        boolean required,
        boolean searchable,
        boolean filterable,
        boolean sortable,
        boolean facet,
        boolean stats,
        boolean unique,
        boolean lowercase,
        boolean system,
        Limits limits) {

    /** The column holding the lower-cased value that makes a unique field unique regardless of case. */
    public String uniqueKeyColumn() {
        return name + "_key";
    }
}
