package dev.gridserve.seed;

import dev.gridserve.changes.ChangeLog;
import dev.gridserve.search.Progress;
import dev.gridserve.storage.StoredRow;
import dev.gridserve.system.Dialect;
import dev.gridserve.system.LongWork;
import dev.gridserve.tables.Table;
import dev.gridserve.tables.Tables;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Loads generated rows into a table served from its schema ({@code --seed-table orders=100000}), in chunks: each
 * chunk's rows and one change-log entry naming their id range commit together, so every follower applies the
 * chunk as soon as it commits, without a rebuild.
 */
@Component
class TableSeeder {
    private static final Logger log = LoggerFactory.getLogger(TableSeeder.class);
    private static final ChangeLog.Audit SEEDED = new ChangeLog.Audit("seed", "seed");
    static final int CHUNK = 5_000;
    /** Rows one request may ask for: enough for a bench, bounded so a typo cannot fill the disk. */
    static final int MAX_ROWS = 50_000_000;

    private final Tables tables;
    private final DataSource dataSource;
    private final Dialect dialect;
    private final TransactionTemplate tx;
    private final LongWork longWork;

    TableSeeder(Tables tables, DataSource dataSource, Dialect dialect, TransactionTemplate tx, LongWork longWork) {
        this.tables = tables;
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.tx = tx;
        this.longWork = longWork;
    }

    /**
     * Reads {@code --seed-table} values ({@code name=count}, repeatable): the tables and counts asked for, or an
     * exception whose message says what is wrong, before anything is written.
     */
    Map<Table, Integer> requested(List<String> values) {
        Map<Table, Integer> out = new java.util.LinkedHashMap<>();
        for (String v : values) {
            String[] p = v.split("=", 2);
            Table t = p.length == 2 ? tables.table(p[0].strip()).orElse(null) : null;
            if (t == null) {
                throw new IllegalArgumentException("--seed-table takes a table served from its schema and a row"
                        + " count, e.g. --seed-table orders=100000; got " + v);
            }
            int n;
            try {
                n = Integer.parseInt(p[1].strip().replace("_", ""));
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0 || n > MAX_ROWS) {
                throw new IllegalArgumentException(
                        "--seed-table " + t.name() + " takes a row count from 0 to " + MAX_ROWS + "; got " + p[1]);
            }
            out.put(t, n);
        }
        return out;
    }

    /** Adds {@code rows} generated rows to {@code t}. */
    void seed(Table t, int rows, long randomSeed) {
        RowGenerator gen = new RowGenerator(t.schema(), randomSeed);
        Progress progress = new Progress("Seeding " + t.name(), rows);
        long t0 = System.nanoTime();
        for (int done = 0; done < rows; ) {
            int n = Math.min(CHUNK, rows - done);
            tx.executeWithoutResult(status -> chunk(t, gen, n));
            done += n;
            progress.step(done);
        }
        progress.done(rows);
        log.info("Seeded {} rows of {} in {} ms", rows, t.name(), (System.nanoTime() - t0) / 1_000_000);
    }

    private void chunk(Table t, RowGenerator gen, int n) {
        ChangeLog changes = t.following().log();
        List<Long> ids = ids(t, n);
        long version = changes.nextSeq();
        List<StoredRow> rows = new ArrayList<>(n);
        for (long id : ids) {
            rows.add(gen.row(id, version));
        }
        Connection c = DataSourceUtils.getConnection(dataSource);
        longWork.lift(c);
        try {
            t.store().insertBatch(c, rows);
        } catch (SQLException e) {
            throw new IllegalStateException("Seeding " + t.name() + " failed: " + e.getMessage(), e);
        }
        changes.appendRange(version, ids.getFirst(), ids.getLast(), SEEDED);
    }

    /** {@code n} new ids from the table's sequence, in one statement. */
    private List<Long> ids(Table t, int n) {
        return t.store().nextIds(n, dialect);
    }
}
