package dev.gridserve.api;

import dev.gridserve.changes.ChangeLog;
import dev.gridserve.schema.FieldDef;
import dev.gridserve.storage.StoredRow;
import dev.gridserve.storage.TableStore;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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

    /**
     * Reads and checks records on a second thread while this one writes the batch before: reading, parsing and
     * validating take about as long as the database takes to load a batch, so the two overlap.
     */
    private void loadAll(ImportRecords records, TransactionStatus outer) throws IOException {
        this.outer = outer;
        BlockingQueue<Object> batches = new ArrayBlockingQueue<>(2);
        Thread reader = Thread.ofPlatform().name("import-read").daemon().start(() -> read(records, batches));
        try {
            while (true) {
                Object next = batches.take();
                if (next instanceof IOException e) {
                    throw e;
                }
                if (next instanceof RuntimeException e) {
                    throw e;
                }
                @SuppressWarnings("unchecked")
                List<Prepared> batch = (List<Prepared>) next;
                if (batch.isEmpty()) {
                    return; // the end
                }
                job.read += batch.size();
                load(batch, outer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("The import was interrupted.", e);
        } finally {
            reader.interrupt();
        }
    }

    /** The reading side: batches of prepared records, then an empty batch (or what failed). */
    private void read(ImportRecords records, BlockingQueue<Object> out) {
        try {
            List<Prepared> batch = new ArrayList<>(BATCH);
            for (ImportRecords.Record r = records.next(); r != null; r = records.next()) {
                batch.add(prepare(r));
                if (batch.size() == BATCH) {
                    out.put(batch);
                    batch = new ArrayList<>(BATCH);
                }
            }
            if (!batch.isEmpty()) {
                out.put(batch);
            }
            out.put(List.of());
        } catch (InterruptedException e) {
            // the writing side stopped
        } catch (IOException | RuntimeException e) {
            try {
                out.put(e);
            } catch (InterruptedException stopped) {
                // the writing side stopped
            }
        }
    }

    /**
     * What can be known of a record before the database is asked: its match key, and its checks as a new row
     * (most records of an import are; one that updates a row is checked again as a partial write).
     */
    private Prepared prepare(ImportRecords.Record r) {
        if (r.problem() != null) {
            return new Prepared(r, null, null, null, null);
        }
        String key;
        try {
            key = key(r.body());
        } catch (IllegalArgumentException e) {
            return new Prepared(r, null, e.getMessage(), null, null);
        }
        try {
            return new Prepared(r, key, null, RowDraft.parse(table.schema(), values(r.body()), false), null);
        } catch (ApiException e) {
            return new Prepared(r, key, null, null, e);
        }
    }

    private static ObjectNode values(ObjectNode body) {
        ObjectNode values = body.deepCopy();
        values.remove("_id");
        return values;
    }

    /** A record as read, its match key (or why it has none) and its checks as a new row (or their problems). */
    private record Prepared(
            ImportRecords.Record record, String key, String keyProblem, RowDraft asNew, ApiException asNewProblem) {}

    private void load(List<Prepared> records, TransactionStatus outer) {
        if (records.isEmpty()) {
            return;
        }
        if (outer != null) {
            write(records, outer);
        } else {
            tx.executeWithoutResult(status -> write(records, status));
        }
    }

    /** A record that was read, with the key it matches rows by (null: none, it creates a row). */
    private record Planned(long line, String key, Prepared prepared) {}

    /** A valid record: where it goes ({@code slot}), the row it updates (null: a new one) and its values. */
    private record Draft(String slot, StoredRow current, RowDraft draft, long line) {}

    /** The rows a batch writes, by slot (a match key, or "new#line"), in file order. */
    private static final class Batch {
        final Map<String, StoredRow> pending = new LinkedHashMap<>();
        final Map<String, Boolean> isNew = new HashMap<>();
        final Map<String, Long> lineOf = new HashMap<>();
        final List<String> order = new ArrayList<>();
    }

    /**
     * Checks, matches and writes one batch. The values of unique fields are first left to the table's unique
     * indexes to check against other rows, under a savepoint: a clean batch (nearly every one) costs no lookup.
     * A batch they refuse is rolled back to the savepoint, its values are looked up, the records holding taken
     * ones are rejected by line, and the rest is written.
     */
    private void write(List<Prepared> records, TransactionStatus status) {
        Batch b = plan(records);
        if (nothingToKeep(b)) {
            return;
        }
        if (table.schema().fields().stream().anyMatch(FieldDef::unique)) {
            boolean optimistic = status != outer || ++outerSavepoints <= MAX_SAVEPOINTS;
            if (optimistic && storedUnderSavepoint(b, status)) {
                return;
            }
            rejectTakenValues(b);
            if (nothingToKeep(b)) {
                return;
            }
        }
        store(b);
    }

    /** Nothing left to write in the batch, or nothing will be kept (an all-or-nothing import with a rejection). */
    private boolean nothingToKeep(Batch b) {
        return b.order.isEmpty() || (allOrNothing && job.rejected > 0);
    }

    /** Stores the batch under a savepoint; false, with the savepoint rolled back, when a unique index refused it. */
    private boolean storedUnderSavepoint(Batch b, TransactionStatus status) {
        Object savepoint = status.createSavepoint();
        try {
            store(b);
            status.releaseSavepoint(savepoint);
            return true;
        } catch (RuntimeException e) {
            if (!uniqueViolation(e)) {
                throw e;
            }
            status.rollbackToSavepoint(savepoint);
            return false;
        }
    }

    /**
     * Savepoints one transaction may take. Each that writes leaves a subtransaction, and PostgreSQL keeps only 64
     * per backend in shared memory: past that, every other session's snapshot taken while the import runs is
     * "suboverflowed" and checks rows against pg_subtrans, which slows the whole database. An all-or-nothing
     * import (one transaction) therefore looks its unique values up after the first 60 batches.
     */
    static final int MAX_SAVEPOINTS = 60;

    private TransactionStatus outer;
    private int outerSavepoints;

    /** A duplicate key refused by a unique index (SQLSTATE 23505 in PostgreSQL and H2 alike). */
    private static boolean uniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
            if (t instanceof org.springframework.dao.DuplicateKeyException) {
                return true;
            }
        }
        return false;
    }

    private Batch plan(List<Prepared> records) {
        // 1. every record that could be read, keyed as the import matches rows
        List<Planned> planned = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (Prepared pr : records) {
            ImportRecords.Record r = pr.record();
            if (r.problem() != null) {
                job.reject(r.line(), null, "Line " + r.line() + " " + r.problem());
                continue;
            }
            if (pr.keyProblem() != null) {
                job.reject(r.line(), matchField == null ? "_id" : matchField.name(), pr.keyProblem());
                continue;
            }
            String key = pr.key();
            if (key != null && matchField == null) {
                ids.add(Long.parseLong(key));
            } else if (key != null) {
                keys.add(key);
            }
            planned.add(new Planned(r.line(), key, pr));
        }
        Map<String, StoredRow> existing = new HashMap<>();
        if (matchField == null) {
            table.store().findAll(ids).forEach(row -> existing.put(Long.toString(row.id()), row));
        } else {
            existing.putAll(table.store().findByKeys(matchField, keys));
        }
        // 2. each record becomes an insert or an update (of a row in the table, or written earlier in the file)
        Batch b = new Batch();
        Map<String, StoredRow> pending = b.pending; // match key (or a fresh one) to the row to write
        Map<String, Boolean> isNew = b.isNew;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<String> order = b.order;
        int fresh = 0;
        List<Long> freshIds = null;
        List<Draft> drafts = new ArrayList<>();
        Set<String> batchKeys = new HashSet<>(); // a key met earlier in this batch: the record updates that row
        for (Planned p : planned) {
            ObjectNode body = p.prepared().record().body();
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
                boolean partial = current != null || earlier;
                if (!partial && p.prepared().asNewProblem() != null) {
                    throw p.prepared().asNewProblem();
                }
                draft = partial
                        ? RowDraft.parse(table.schema(), values(body), true)
                        : p.prepared().asNew();
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
        Map<String, Long> lineOf = b.lineOf;
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
        // 3. unique fields: no two rows of the file may share a value (the table's rows: see write)
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
                    reject(slot, b, u, "'" + v + "' is also in line " + lineOf.get(other));
                }
            }
        }
        return b;
    }

    /** Rejects the records whose unique values another row of the table holds. */
    private void rejectTakenValues(Batch b) {
        for (FieldDef u : table.schema().fields()) {
            if (!u.unique()) {
                continue;
            }
            Map<String, String> slotOf = new HashMap<>();
            for (String slot : b.order) {
                Object v = b.pending.get(slot).value(u.name());
                if (v != null) {
                    slotOf.put(v.toString().toLowerCase(Locale.ROOT), slot);
                }
            }
            Map<String, TableStore.Holder> holders = table.store().holders(u, slotOf.keySet());
            for (Map.Entry<String, TableStore.Holder> h : holders.entrySet()) {
                String slot = slotOf.get(h.getKey());
                if (b.pending.containsKey(slot)
                        && b.pending.get(slot).id() != h.getValue().id()) {
                    reject(
                            slot,
                            b,
                            u,
                            "'" + h.getValue().value() + "' is already used by row "
                                    + h.getValue().id());
                }
            }
        }
    }

    /** Writes the batch's rows and their change-log entries; counts them only once they are in. */
    private void store(Batch b) {
        Map<String, StoredRow> pending = b.pending;
        Map<String, Boolean> isNew = b.isNew;
        List<String> order = b.order;
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
        for (String slot : order) {
            if (!slot.startsWith("new#")) {
                written.put(slot, pending.get(slot).id());
            }
        }
        job.inserted += inserts.size();
        job.updated += updates.size();
        lastSeq = Math.max(lastSeq, seqs[seqs.length - 1]);
    }

    private void reject(String slot, Batch b, FieldDef field, String why) {
        long line = b.lineOf.get(slot);
        job.reject(line, field.name(), "Line " + line + ": '" + field.name() + "' " + why + " (it is unique)");
        b.pending.remove(slot);
        b.order.remove(slot);
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
