package dev.gridserve.api;

import dev.gridserve.schema.FieldDef;
import dev.gridserve.system.Dialect;
import dev.gridserve.tables.Table;
import java.io.IOException;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Loads one upload into a table, in batches: every record is validated by the rules of a single write
 * ({@link RowDraft}), matched to an existing row by {@code _id} or by a unique field (then updated, the fields it
 * sends changing) or inserted, and every written row gets its change-log entry in the same transaction, so every
 * instance's index applies it as it commits. All-or-nothing imports run in one transaction and write nothing
 * when any record is rejected; skip-invalid imports commit batch by batch and leave rejected records out.
 * Records are read and checked a batch ahead ({@link ImportReadAhead}), matched ({@link ImportPlanner}) and
 * written ({@link ImportBatchWriter}).
 */
final class Importer {
    static final int BATCH = 5_000;

    private final Table table;
    private final ImportJob job;
    private final boolean allOrNothing;
    private final FieldDef matchField; // null: match by _id
    private final TransactionTemplate tx;
    private final ImportPlanner planner;
    private final ImportBatchWriter writer;

    Importer(
            Table table,
            ImportJob job,
            boolean allOrNothing,
            FieldDef matchField,
            TransactionTemplate tx,
            int maxSavepoints,
            DataSource dataSource,
            Dialect dialect,
            String actor) {
        this.table = table;
        this.job = job;
        this.allOrNothing = allOrNothing;
        this.matchField = matchField;
        this.tx = tx;
        this.planner = new ImportPlanner(table, job, matchField, dialect);
        this.writer = new ImportBatchWriter(table, job, allOrNothing, maxSavepoints, dataSource, actor);
    }

    /** Reads and loads every record; returns the last change-log number written (0 when none). */
    long run(ImportRecords records) throws IOException {
        try (ImportReadAhead ahead = new ImportReadAhead(records, table.schema(), matchField, BATCH)) {
            if (!allOrNothing) {
                loadAll(ahead, null);
                return writer.lastSeq();
            }
            IOException[] failed = new IOException[1];
            try {
                tx.executeWithoutResult(status -> {
                    try {
                        loadAll(ahead, status);
                    } catch (IOException e) {
                        failed[0] = e;
                        status.setRollbackOnly();
                    }
                    if (job.rejected > 0) {
                        status.setRollbackOnly();
                    }
                });
            } catch (ImportBatchWriter.Conflict conflict) {
                // rolled back: name the refused record, then check the rest of the file, writing nothing
                writer.name(conflict);
                loadAll(ahead, null);
            }
            if (failed[0] != null) {
                throw failed[0];
            }
            if (job.rejected > 0) {
                job.rolledBack = true;
                job.inserted = 0;
                job.updated = 0;
                return 0;
            }
            return writer.lastSeq();
        }
    }

    /** Loads batch after batch, in {@code outer} (all-or-nothing) or in a transaction of each batch's own. */
    private void loadAll(ImportReadAhead ahead, TransactionStatus outer) throws IOException {
        for (List<PreparedRecord> batch = ahead.next(); !batch.isEmpty(); batch = ahead.next()) {
            job.read += batch.size();
            if (outer != null) {
                load(batch, outer);
            } else {
                List<PreparedRecord> b = batch;
                tx.executeWithoutResult(status -> load(b, status));
            }
        }
    }

    private void load(List<PreparedRecord> records, TransactionStatus status) {
        ImportBatch b = planner.plan(records);
        if (writer.write(b, status)) {
            planner.stored(b);
        }
    }
}
