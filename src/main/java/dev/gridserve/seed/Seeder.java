package dev.gridserve.seed;

import dev.gridserve.changes.ChangeLog;
import dev.gridserve.product.Product;
import dev.gridserve.schema.FieldDef;
import dev.gridserve.search.Progress;
import dev.gridserve.storage.StoredRow;
import dev.gridserve.system.Dialect;
import dev.gridserve.system.LongWork;
import dev.gridserve.tables.Table;
import dev.gridserve.tables.Tables;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Bulk-loads generated products through the products table's store (COPY on PostgreSQL) in chunks. Each chunk commits its
 * rows, one change-log entry naming their id range and the number still to load, in one transaction: every
 * follower applies the chunk as soon as it commits (no rebuild, no long-open change-log gap), and a seed that a
 * crash or stop interrupted is finished by the next start instead of leaving a partial catalogue.
 */
@Component
public class Seeder {
    private static final ChangeLog.Audit SEEDED = new ChangeLog.Audit("seed", "seed");
    private static final Logger log = LoggerFactory.getLogger(Seeder.class);
    private static final int CHUNK = 20_000;
    /** gridserve_meta key of an unfinished seed: "products still to load,random seed". */
    static final String PENDING = "seed_pending";

    /** How far a seed under way has got (for /health). */
    public record Status(long loaded, long total) {}

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final Dialect dialect;
    private final Table products;
    private final TransactionTemplate tx;
    private final LongWork longWork;
    private volatile Status status;

    Seeder(
            DataSource dataSource,
            JdbcClient jdbc,
            Dialect dialect,
            Tables tables,
            TransactionTemplate tx,
            LongWork longWork) {
        this.longWork = longWork;
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.products = tables.require(Tables.PRODUCTS);
        this.tx = tx;
    }

    /** Adds {@code n} products generated from {@code randomSeed} (after finishing an interrupted seed). */
    public void seed(int n, long randomSeed) {
        resume();
        tx.executeWithoutResult(s -> jdbc.sql("INSERT INTO gridserve_meta (meta_key, meta_value) VALUES (?, ?)")
                .params(PENDING, n + "," + randomSeed)
                .update());
        load(n, randomSeed);
    }

    /** Finishes a seed that was interrupted; false when none was. */
    public boolean resume() {
        List<String> pending = jdbc.sql("SELECT meta_value FROM gridserve_meta WHERE meta_key = ?")
                .param(PENDING)
                .query(String.class)
                .list();
        if (pending.isEmpty()) {
            return false;
        }
        String[] v = pending.get(0).split(",");
        int remaining = Integer.parseInt(v[0]);
        log.info("Finishing an interrupted seed: {} products still to load", remaining);
        load(remaining, Long.parseLong(v[1]));
        return true;
    }

    public Status status() {
        return status;
    }

    private void load(int remaining, long randomSeed) {
        ProductGenerator gen = new ProductGenerator(randomSeed);
        Progress progress = new Progress("Seeding", remaining);
        int done = 0;
        status = new Status(0, remaining);
        try {
            while (remaining - done > 0) {
                int size = Math.min(CHUNK, remaining - done);
                List<Long> ids = products.store().nextIds(size, dialect);
                int left = remaining - done - size;
                tx.executeWithoutResult(s -> chunk(gen, ids, left, randomSeed));
                done += size;
                status = new Status(done, remaining);
                progress.step(done);
            }
        } finally {
            status = null;
        }
        progress.done(done);
        log.info("Seeded {} products (random seed {})", done, randomSeed);
    }

    /** One chunk's rows, its change-log entry and what is left, in the caller's transaction. */
    private void chunk(ProductGenerator gen, List<Long> ids, int left, long randomSeed) {
        ChangeLog changes = products.following().log();
        long version = changes.nextSeq();
        List<StoredRow> rows = new ArrayList<>(ids.size());
        for (long id : ids) {
            rows.add(stored(gen.product(id, version)));
        }
        Connection c = DataSourceUtils.getConnection(dataSource);
        longWork.lift(c);
        try {
            products.store().insertBatch(c, rows);
        } catch (SQLException e) {
            throw new IllegalStateException("Seeding failed: " + e.getMessage(), e);
        } finally {
            DataSourceUtils.releaseConnection(c, dataSource);
        }
        changes.appendRange(
                version,
                ids.stream().mapToLong(Long::longValue).min().orElseThrow(),
                ids.stream().mapToLong(Long::longValue).max().orElseThrow(),
                SEEDED);
        if (left == 0) {
            jdbc.sql("DELETE FROM gridserve_meta WHERE meta_key = ?")
                    .param(PENDING)
                    .update();
        } else {
            jdbc.sql("UPDATE gridserve_meta SET meta_value = ? WHERE meta_key = ?")
                    .params(left + "," + randomSeed, PENDING)
                    .update();
        }
    }

    /** A generated product as a row of the products table, by its schema's field names. */
    private StoredRow stored(Product p) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (FieldDef f : products.schema().fields()) {
            values.put(f.name(), p.value(f.name()));
        }
        return new StoredRow(p.id(), values, p.version());
    }
}
