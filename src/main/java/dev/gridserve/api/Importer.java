package dev.gridserve.api;

import dev.gridserve.changes.ChangeLog;
import dev.gridserve.schema.FieldDef;
import dev.gridserve.storage.StoredRow;
import dev.gridserve.system.ApiException;
import dev.gridserve.system.Dialect;
import dev.gridserve.tables.Table;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Loads one upload into a table, in batches: every record is validated by the rules of a single write
 * ({@link RowDraft}), matched to an existing row by {@code _id} or by a unique field (then updated, the fields it
 * sends changing) or inserted, and every written row gets its change-log entry in the same transaction, so every
 * instance's index applies it as it commits. All-or-nothing imports run in one transaction and write nothing
 * when any record is rejected; skip-invalid imports commit batch by batch and leave rejected records out.
 */
final class Importer {
    static final int BATCH = 5_000;

    private final Table table;
    private final ImportJob job;
    private final boolean allOrNothing;
    private final FieldDef matchField; // null: match by _id
    private final TransactionTemplate tx;
    private final DataSource dataSource;
    private final Dialect dialect;
    private final ChangeLog.Audit audit;
    /** Match keys written so far, to the row id: duplicates later in the file update the row, as in the table. */
    private final Map<String, Long> written = new HashMap<>();

    private long lastSeq;

    Importer(
            Table table,
            ImportJob job,
            boolean allOrNothing,
            FieldDef matchField,
            TransactionTemplate tx,
            DataSource dataSource,
            Dialect dialect,
            String actor) {
        this.table = table;
        this.job = job;
        this.allOrNothing = allOrNothing;
        this.matchField = matchField;
        this.tx = tx;
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.audit = new ChangeLog.Audit("import", actor);
    }

    /** Reads and loads every record; returns the last change-log number written (0 when none). */
    long run(ImportRecords records) throws IOException {
        if (allOrNothing) {
            IOException[] failed = new IOException[1];
            tx.executeWithoutResult(status -> {
                try {
                    loadAll(records, status);
                } catch (IOException e) {
                    failed[0] = e;
                    status.setRollbackOnly();
                }
                if (job.rejected > 0) {
                    status.setRollbackOnly();
                    job.rolledBack = true;
                }
            });
            if (failed[0] != null) {
                throw failed[0];
            }
            if (job.rolledBack) {
                job.inserted = 0;
                job.updated = 0;
                return 0;
            }
        } else {
            loadAll(records, null);
        }
        return lastSeq;
    }

    private void loadAll(ImportRecords records, TransactionStatus outer) throws IOException {
        List<ImportRecords.Record> batch = new ArrayList<>(BATCH);
        for (ImportRecords.Record r = records.next(); r != null; r = records.next()) {
            job.read++;
            batch.add(r);
            if (batch.size() == BATCH) {
                load(batch, outer);
                batch.clear();
            }
        }
        load(batch, outer);
    }

    private void load(List<ImportRecords.Record> records, TransactionStatus outer) {
        if (records.isEmpty()) {
            return;
        }
        if (outer != null) {
            write(records);
        } else {
            tx.executeWithoutResult(status -> write(records));
        }
    }

    /** A record that was read, with the key it matches rows by (null: none, it creates a row). */
    private record Planned(long line, String key) {}

    /** A valid record: where it goes ({@code slot}), the row it updates (null: a new one) and its values. */
    private record Draft(String slot, StoredRow current, RowDraft draft, long line) {}

    private void write(List<ImportRecords.Record> records) {
        // 1. read and validate every record, keyed as the import matches rows
        List<Planned> planned = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (ImportRecords.Record r : records) {
            if (r.problem() != null) {
                job.reject(r.line(), null, "Line " + r.line() + " " + r.problem());
                continue;
            }
            String key;
            try {
                key = key(r.body());
            } catch (IllegalArgumentException e) {
                job.reject(r.line(), matchField == null ? "_id" : matchField.name(), e.getMessage());
                continue;
            }
            if (key != null && matchField == null) {
                ids.add(Long.parseLong(key));
            } else if (key != null) {
                keys.add(key);
            }
            planned.add(new Planned(r.line(), key));
        }
        Map<String, StoredRow> existing = new HashMap<>();
        if (matchField == null) {
            table.store().findAll(ids).forEach(row -> existing.put(Long.toString(row.id()), row));
        } else {
            existing.putAll(table.store().findByKeys(matchField, keys));
        }
        Map<Long, ImportRecords.Record> byLine = new HashMap<>();
        records.forEach(r -> byLine.put(r.line(), r));
        // 2. each record becomes an insert or an update (of a row in the table, or written earlier in the file)
        Map<String, StoredRow> pending = new LinkedHashMap<>(); // match key (or a fresh one) to the row to write
        Map<String, Boolean> isNew = new HashMap<>();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<String> order = new ArrayList<>();
        int fresh = 0;
        List<Long> freshIds = null;
        List<Draft> drafts = new ArrayList<>();
        Set<String> batchKeys = new HashSet<>(); // a key met earlier in this batch: the record updates that row
        for (Planned p : planned) {
            ObjectNode body = byLine.get(p.line()).body();
            boolean earlier = p.key() != null && batchKeys.contains(p.key());
            StoredRow current = p.key() == null ? null : existing.get(p.key());
            if (current == null && p.key() != null && written.containsKey(p.key())) {
                current = table.store().find(written.get(p.key())).orElse(null);
            }
            if (current == null && !earlier && matchField == null && p.key() != null) {
                job.reject(
                        p.line(),
                        "_id",
                        "Line " + p.line() + ": there is no row with _id " + p.key()
                                + "; leave _id out to create a row");
                continue;
            }
            RowDraft draft;
            try {
                ObjectNode values = body.deepCopy();
                values.remove("_id");
                draft = RowDraft.parse(table.schema(), values, current != null || earlier);
            } catch (ApiException e) {
                for (ApiException.FieldProblem fp : e.errors()) {
                    job.reject(p.line(), fp.field(), "Line " + p.line() + ": '" + fp.field() + "' " + fp.message());
                }
                if (e.errors().isEmpty()) {
                    job.reject(p.line(), null, "Line " + p.line() + ": " + e.getMessage());
                }
                continue;
            }
            String slot = p.key() != null ? p.key() : "new#" + p.line();
            if (current == null && !earlier) {
                fresh++;
            }
            if (p.key() != null) {
                batchKeys.add(p.key());
            }
            drafts.add(new Draft(slot, current, draft, p.line()));
        }
        if (fresh > 0) {
            freshIds = table.store().nextIds(fresh, dialect);
        }
        int nextFresh = 0;
        Map<String, Long> lineOf = new HashMap<>();
        for (Draft d : drafts) {
            String slot = d.slot();
            StoredRow current = d.current();
            RowDraft draft = d.draft();
            StoredRow base = pending.get(slot);
            StoredRow row;
            if (base != null) {
                row = draft.applyTo(table.schema(), base, now, 0);
            } else if (current != null) {
                row = draft.applyTo(table.schema(), current, now, 0);
                isNew.put(slot, false);
            } else {
                row = draft.create(table.schema(), freshIds.get(nextFresh++), now, 0);
                isNew.put(slot, true);
            }
            if (!pending.containsKey(slot)) {
                order.add(slot);
            }
            pending.put(slot, row);
            lineOf.put(slot, d.line());
        }
        // 3. unique fields: no two rows of the file, and no row of the table, may share a value
        for (FieldDef u : table.schema().fields()) {
            if (!u.unique()) {
                continue;
            }
            Map<String, String> seen = new HashMap<>();
            for (String slot : new ArrayList<>(order)) {
                Object v = pending.get(slot).value(u.name());
                if (v == null) {
                    continue;
                }
                String k = v.toString().toLowerCase(Locale.ROOT);
                String other = seen.putIfAbsent(k, slot);
                if (other != null) {
                    reject(slot, pending, order, lineOf, u, "'" + v + "' is also in line " + lineOf.get(other));
                }
            }
            Map<String, StoredRow> holders = table.store().findByKeys(u, seen.keySet());
            for (Map.Entry<String, StoredRow> h : holders.entrySet()) {
                String slot = seen.get(h.getKey());
                if (pending.containsKey(slot)
                        && pending.get(slot).id() != h.getValue().id()) {
                    reject(
                            slot,
                            pending,
                            order,
                            lineOf,
                            u,
                            "'" + h.getValue().value(u.name()) + "' is already used by row "
                                    + h.getValue().id());
                }
            }
        }
        if (order.isEmpty() || (allOrNothing && job.rejected > 0)) {
            return; // nothing to write, or nothing will be kept
        }
        // 4. write the rows and their change-log entries, numbered in one statement: one entry naming the id
        // range of the new rows (followers read them in one ordered pass, as for a seed) and one per updated row
        int updatedCount = 0;
        for (String slot : order) {
            updatedCount += isNew.get(slot) ? 0 : 1;
        }
        int insertedCount = order.size() - updatedCount;
        long[] seqs = table.following().log().nextSeqs(updatedCount + (insertedCount > 0 ? 1 : 0));
        long rangeSeq = insertedCount > 0 ? seqs[seqs.length - 1] : 0;
        long[] updSeqs = java.util.Arrays.copyOf(seqs, updatedCount);
        long[] updIds = new long[updatedCount];
        char[] ops = new char[updatedCount];
        List<StoredRow> inserts = new ArrayList<>(insertedCount);
        List<StoredRow> updates = new ArrayList<>(updatedCount);
        long minId = Long.MAX_VALUE;
        long maxId = Long.MIN_VALUE;
        for (String slot : order) {
            StoredRow r = pending.get(slot);
            if (isNew.get(slot)) {
                inserts.add(new StoredRow(r.id(), r.values(), rangeSeq));
                minId = Math.min(minId, r.id());
                maxId = Math.max(maxId, r.id());
            } else {
                int k = updates.size();
                updates.add(new StoredRow(r.id(), r.values(), updSeqs[k]));
                updIds[k] = r.id();
                ops[k] = ChangeLog.UPSERT;
            }
            if (!slot.startsWith("new#")) {
                written.put(slot, r.id());
            }
        }
        Connection c = DataSourceUtils.getConnection(dataSource);
        try {
            table.store().insertBatch(c, inserts);
            table.store().updateBatch(c, updates);
        } catch (SQLException e) {
            throw new IllegalStateException("Writing the batch failed: " + e.getMessage(), e);
        }
        table.following().log().appendAll(updSeqs, updIds, ops, audit);
        if (!inserts.isEmpty()) {
            table.following().log().appendRange(rangeSeq, minId, maxId, audit);
        }
        job.inserted += inserts.size();
        job.updated += updates.size();
        lastSeq = Math.max(lastSeq, seqs[seqs.length - 1]);
    }

    private void reject(
            String slot,
            Map<String, StoredRow> pending,
            List<String> order,
            Map<String, Long> lineOf,
            FieldDef field,
            String why) {
        long line = lineOf.get(slot);
        job.reject(line, field.name(), "Line " + line + ": '" + field.name() + "' " + why + " (it is unique)");
        pending.remove(slot);
        order.remove(slot);
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
