package dev.gridserve.schema;

import java.util.List;
import java.util.Optional;

/**
 * A table as its schema file declares it: its name (also its path, /api/v1/{name}), its fields in the order
 * responses list them, and where it was read from. Every table also has an id ({@code _id} on the wire), a
 * version (the change that last wrote the row) and the created_at/updated_at timestamps.
 */
public record TableSchema(String name, String description, List<FieldDef> fields, String source, String checksum) {
    public TableSchema {
        fields = List.copyOf(fields);
    }

    public Optional<FieldDef> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** The fields a request may write (all but the system timestamps). */
    public List<FieldDef> writable() {
        return fields.stream().filter(f -> !f.system()).toList();
    }
}
