package dev.gridserve.api;

import dev.gridserve.schema.FieldDef;
import dev.gridserve.schema.TableSchema;
import dev.gridserve.system.ApiException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and checks an upload's records on a second thread, a batch ahead of the one the writer is loading:
 * reading, parsing and validating take about as long as the database takes to load a batch, so the two overlap.
 */
final class ImportReadAhead implements AutoCloseable {
    private final ImportRecords records;
    private final TableSchema schema;
    private final FieldDef matchField; // null: match by _id
    private final int batchSize;
    private final BlockingQueue<Object> batches = new ArrayBlockingQueue<>(2);
    private final Thread reader;

    ImportReadAhead(ImportRecords records, TableSchema schema, FieldDef matchField, int batchSize) {
        this.records = records;
        this.schema = schema;
        this.matchField = matchField;
        this.batchSize = batchSize;
        this.reader = Thread.ofPlatform().name("import-read").daemon().start(this::read);
    }

    /** The next batch of prepared records; empty at the end of the upload. */
    List<PreparedRecord> next() throws IOException {
        Object next;
        try {
            next = batches.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("The import was interrupted.", e);
        }
        if (next instanceof IOException e) {
            throw e;
        }
        if (next instanceof RuntimeException e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        List<PreparedRecord> batch = (List<PreparedRecord>) next;
        return batch;
    }

    /** Stops reading (the writer has stopped). */
    @Override
    public void close() {
        reader.interrupt();
    }

    /** The reading side: batches of prepared records, then an empty batch (or what failed). */
    private void read() {
        try {
            List<PreparedRecord> batch = new ArrayList<>(batchSize);
            for (ImportRecords.Record r = records.next(); r != null; r = records.next()) {
                batch.add(prepare(r));
                if (batch.size() == batchSize) {
                    batches.put(batch);
                    batch = new ArrayList<>(batchSize);
                }
            }
            if (!batch.isEmpty()) {
                batches.put(batch);
            }
            batches.put(List.of());
        } catch (InterruptedException e) {
            // the writing side stopped
        } catch (IOException | RuntimeException e) {
            try {
                batches.put(e);
            } catch (InterruptedException stopped) {
                // the writing side stopped
            }
        }
    }

    private PreparedRecord prepare(ImportRecords.Record r) {
        if (r.problem() != null) {
            return new PreparedRecord(r, null, null, null, null);
        }
        String key;
        try {
            key = key(r.body());
        } catch (IllegalArgumentException e) {
            return new PreparedRecord(r, null, e.getMessage(), null, null);
        }
        try {
            return new PreparedRecord(r, key, null, RowDraft.parse(schema, values(r.body()), false), null);
        } catch (ApiException e) {
            return new PreparedRecord(r, key, null, null, e);
        }
    }

    /** The record's fields without its _id, as a write's body. */
    static ObjectNode values(ObjectNode body) {
        ObjectNode values = body.deepCopy();
        values.remove("_id");
        return values;
    }

    /** The record's match key: its _id (when matching by id) or its unique field's value, lower-cased. */
    private String key(ObjectNode body) {
        if (matchField == null) {
            JsonNode id = body.get("_id");
            if (id == null || id.isNull()) {
                return null;
            }
            String s = id.isNumber() ? id.asString() : id.isString() ? id.stringValue() : "";
            if (!s.matches("[1-9][0-9]{0,17}")) {
                throw new IllegalArgumentException("'_id' must be a row id such as \"42\"");
            }
            return s;
        }
        JsonNode v = body.get(matchField.name());
        if (v == null || !v.isString() || v.stringValue().isBlank()) {
            throw new IllegalArgumentException(
                    "'" + matchField.name() + "' is needed to match rows (match=" + matchField.name() + ")");
        }
        return v.stringValue().strip().toLowerCase(Locale.ROOT);
    }
}
