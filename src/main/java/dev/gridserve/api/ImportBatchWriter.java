package dev.gridserve.api;

import dev.gridserve.changes.ChangeLog;
import dev.gridserve.schema.FieldDef;
import dev.gridserve.storage.StoredRow;
import dev.gridserve.storage.TableStore;
import dev.gridserve.tables.Table;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.TransactionStatus;

/**
 * Writes planned import batches into the transaction that is open: the rows and their change-log entries
 * together, and the values of unique fields checked against the table's other rows.
 */
final class ImportBatchWriter {
    /**
     * Savepoints one transaction may take. Each that writes leaves a subtransaction, and PostgreSQL keeps only 64
     * per backend in shared memory: past that, every other session's snapshot taken while the import runs is
     * "suboverflowed" and checks rows against pg_subtrans, which slows the whole database. An all-or-nothing
     * import (one transaction) therefore looks its unique values up after the first 60 batches.
     */
    static final int MAX_SAVEPOINTS = 60;

    private final Table table;
    private final ImportJob job;
    private final DataSource dataSource;
    private final ChangeLog.Audit audit;
    private final boolean allOrNothing;
    private final boolean uniqueFields;
    private int savepoints;
    private long lastSeq;

    ImportBatchWriter(Table table, ImportJob job, boolean allOrNothing, DataSource dataSource, String actor) {
        this.table = table;
        this.allOrNothing = allOrNothing;
        this.job = job;
        this.dataSource = dataSource;
        this.audit = new ChangeLog.Audit("import", actor);
        this.uniqueFields = table.schema().fields().stream().anyMatch(FieldDef::unique);
    }

    /** The last change-log number written (0 when none). */
    long lastSeq() {
        return lastSeq;
    }

    /**
     * Writes the batch in the transaction of {@code status}. The unique indexes are first left to check the
     * values, under a savepoint: a clean batch (nearly every one) costs no lookup. A batch they refuse is rolled
     * back to the savepoint, its values are looked up, the records holding taken ones are rejected by line, and
     * the rest is written. Returns whether anything was.
     */
    boolean write(ImportBatch b, TransactionStatus status) {
        if (nothingToKeep(b)) {
            return false;
        }
        if (uniqueFields) {
            // an all-or-nothing import is one transaction, so its savepoints add up
            boolean optimistic = !allOrNothing || ++savepoints <= MAX_SAVEPOINTS;
            if (optimistic && storedUnderSavepoint(b, status)) {
                return true;
            }
            rejectTakenValues(b);
            if (nothingToKeep(b)) {
                return false;
            }
        }
        store(b);
        return true;
    }

    /** Nothing left to write in the batch, or nothing will be kept (an all-or-nothing import with a rejection). */
    private boolean nothingToKeep(ImportBatch b) {
        return b.order.isEmpty() || (allOrNothing && job.rejected > 0);
    }

    /** Stores the batch under a savepoint; false, with the savepoint rolled back, when a unique index refused it. */
    private boolean storedUnderSavepoint(ImportBatch b, TransactionStatus status) {
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

    /** A duplicate key refused by a unique index (SQLSTATE 23505 in PostgreSQL and H2 alike). */
    private static boolean uniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
            if (t instanceof DuplicateKeyException) {
                return true;
            }
        }
        return false;
    }

    /** Rejects the records whose unique values another row of the table holds. */
    private void rejectTakenValues(ImportBatch b) {
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
                    b.reject(
                            job,
                            slot,
                            u,
                            "'" + h.getValue().value() + "' is already used by row "
                                    + h.getValue().id());
                }
            }
        }
    }

    /**
     * Writes the batch's rows and their change-log entries, numbered in one statement: one entry naming the id
     * range of the new rows (followers read them in one ordered pass, as for a seed) and one per updated row.
     * Counts them only once they are in.
     */
    private void store(ImportBatch b) {
        int updatedCount = 0;
        for (String slot : b.order) {
            updatedCount += b.isNew.get(slot) ? 0 : 1;
        }
        int insertedCount = b.order.size() - updatedCount;
        long[] seqs = table.following().log().nextSeqs(updatedCount + (insertedCount > 0 ? 1 : 0));
        long rangeSeq = insertedCount > 0 ? seqs[seqs.length - 1] : 0;
        long[] updSeqs = Arrays.copyOf(seqs, updatedCount);
        long[] updIds = new long[updatedCount];
        char[] ops = new char[updatedCount];
        List<StoredRow> inserts = new ArrayList<>(insertedCount);
        List<StoredRow> updates = new ArrayList<>(updatedCount);
        long minId = Long.MAX_VALUE;
        long maxId = Long.MIN_VALUE;
        for (String slot : b.order) {
            StoredRow r = b.pending.get(slot);
            if (b.isNew.get(slot)) {
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
        job.inserted += inserts.size();
        job.updated += updates.size();
        lastSeq = Math.max(lastSeq, seqs[seqs.length - 1]);
    }
}
