package dev.gridserve.api;

import dev.gridserve.schema.FieldDef;
import dev.gridserve.storage.StoredRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows one import batch writes, by slot (a match key, or "new#line" for a record that creates a row), in file
 * order: the row to write, whether it is new, and the line that last wrote it.
 */
final class ImportBatch {
    final Map<String, StoredRow> pending = new LinkedHashMap<>();
    final Map<String, Boolean> isNew = new HashMap<>();
    final Map<String, Long> lineOf = new HashMap<>();
    final List<String> order = new ArrayList<>();

    /** Takes the slot's row out of the batch and reports its line as rejected for a unique field. */
    void reject(ImportJob job, String slot, FieldDef field, String why) {
        long line = lineOf.get(slot);
        job.reject(line, field.name(), "Line " + line + ": '" + field.name() + "' " + why + " (it is unique)");
        pending.remove(slot);
        order.remove(slot);
    }
}
