package dev.gridserve.schema;

import java.util.List;
import java.util.Optional;

/**
 * A table as its schema file declares it: its name (also its path, /api/v1/{name}), its fields in the order
 * responses list them, and where it was read from. Every table also has an id ({@code _id} on the wire), a
 * version (the change that last wrote the row) and the created_at/updated_at timestamps. {@code rowName} is what
 * messages call one row ("product"), or null when the schema does not say.
 */
public record TableSchema(
        String name, String description, String rowName, List<FieldDef> fields, String source, String checksum) {
    public TableSchema {
        fields = List.copyOf(fields);
    }

    public Optional<FieldDef> field(String name) {
        // a plain loop: asked for every field of every record an import reads
        for (FieldDef f : fields) {
            if (f.name().equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** One row as a message names it: "Product 5", or "Row 5 of orders" when the schema names no row. */
    public String row(long id) {
        return rowName == null ? "Row " + id + " of " + name : capitalised(rowName) + " " + id;
    }

    /** Any row as a message begins with it: "A product", or "A row of orders" when the schema names no row. */
    public String aRow() {
        return rowName == null ? "A row of " + name : (rowName.matches("[aeiou].*") ? "An " : "A ") + rowName;
    }

    /** What one row is called in the middle of a sentence: "product", or "row" when the schema does not say. */
    public String rowNoun() {
        return rowName == null ? "row" : rowName;
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The fields a request may write (all but the system timestamps). */
    public List<FieldDef> writable() {
        return fields.stream().filter(f -> !f.system()).toList();
    }
}
