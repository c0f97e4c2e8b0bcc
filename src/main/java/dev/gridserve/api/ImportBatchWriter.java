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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.TransactionStatus;

/**
 * Writes planned import batches into the transaction that is open: the rows and their change-log entries
 * together, and the values of unique fields checked against the table's other rows.
 */
final class ImportBatchWriter {
    private final Table table;
    private final ImportJob job;
    private final DataSource dataSource;
    private final ChangeLog.Audit audit;
    private final boolean allOrNothing;
    private final boolean uniqueFields;
    private final int maxSavepoints;
    private int savepoints;
    private long lastSeq;

    /**
     * {@code maxSavepoints}: how many batches of an all-or-nothing import (one transaction) are written under a
     * savepoint. Each that writes leaves a subtransaction, and PostgreSQL keeps only 64 per backend in shared
     * memory: past that, every other session's snapshot taken while the import runs is "suboverflowed" and checks
     * rows against pg_subtrans, which slows the whole database. Later batches are written unguarded: the first
     * value a unique index refuses ends the transaction, which is what all-or-nothing asks for anyway.
     */
    ImportBatchWriter(
            Table table, ImportJob job, boolean allOrNothing, int maxSavepoints, DataSource dataSource, String actor) {
        this.table = table;
        this.maxSavepoints = maxSavepoints;
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
     * the rest is written. Past the savepoints an all-or-nothing import may take, a refused batch ends the
     * transaction: {@link Conflict} is thrown, to be named by {@link #name} once the transaction is rolled back.
     * Returns whether anything was written.
     */
    boolean write(ImportBatch b, TransactionStatus status) {
        if (nothingToKeep(b)) {
            return false;
        }
        if (uniqueFields) {
            if (allOrNothing && ++savepoints > maxSavepoints) {
                storeUnguarded(b);
                return true;
            }
            if (storedUnderSavepoint(b, status)) {
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

    /** A batch a unique index refused outside a savepoint: its transaction can only be rolled back. */
    static final class Conflict extends RuntimeException {
        private final transient ImportBatch batch;

        Conflict(ImportBatch batch, RuntimeException cause) {
            super(cause.getMessage(), cause);
            this.batch = batch;
        }
    }

    private void storeUnguarded(ImportBatch b) {
        try {
            store(b);
        } catch (RuntimeException e) {
            if (uniqueViolation(e)) {
                throw new Conflict(b, e);
            }
            throw e;
        }
    }

    /**
     * Rejects the record whose value the unique index refused, once the transaction is rolled back (the lookup
     * needs a working one): the database names the value, and the lookup tells a row of the table that holds it
     * from an earlier line of the file (rolled back with the rest). When the value cannot be told, the batch's
     * first line carries the database's words, so the import still reports why it wrote nothing.
     */
    void name(Conflict conflict) {
        ImportBatch b = conflict.batch;
        Matcher m = REFUSED.matcher(String.valueOf(conflict.getMessage()));
        if (m.find()) {
            String key = m.group(2);
            for (FieldDef u : table.schema().fields()) {
                if (!u.unique() || !u.uniqueKeyColumn().equalsIgnoreCase(m.group(1))) {
                    continue;
                }
                for (String slot : b.order) {
                    Object v = b.pending.get(slot).value(u.name());
                    if (v != null && v.toString().toLowerCase(Locale.ROOT).equals(key)) {
                        TableStore.Holder h =
                                table.store().holders(u, List.of(key)).get(key);
                        b.reject(
                                job,
                                slot,
                                u,
                                h == null
                                        ? "'" + v + "' is also in an earlier line of the file"
                                        : "'" + h.value() + "' is already used by row " + h.id());
                        return;
                    }
                }
            }
        }
        long first = b.lineOf.get(b.order.get(0));
        job.reject(
                first,
                null,
                "Lines from " + first + ": a unique value was refused by the database (" + conflict.getMessage() + ")");
    }

    /** PostgreSQL's detail of a unique violation: {@code Key (sku_key)=(abc-1) already exists.} */
    private static final Pattern REFUSED = Pattern.compile("Key \\((\\w+)\\)=\\((.*)\\) already exists");

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
