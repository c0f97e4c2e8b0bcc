package dev.gridserve.seed;

import dev.gridserve.changes.ChangeLog;
import dev.gridserve.product.Product;
import dev.gridserve.product.ProductRepository;
import dev.gridserve.search.Progress;
import dev.gridserve.system.Dialect;
import dev.gridserve.system.LongWork;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.StatementCreatorUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Bulk-loads generated products (COPY on PostgreSQL, batched inserts on H2) in chunks. Each chunk commits its
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
    private final ChangeLog changes;
    private final TransactionTemplate tx;
    private final LongWork longWork;
    private volatile Status status;

    Seeder(
            DataSource dataSource,
            JdbcClient jdbc,
            Dialect dialect,
            ChangeLog changes,
            TransactionTemplate tx,
            LongWork longWork) {
        this.longWork = longWork;
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.changes = changes;
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
                List<Long> ids = jdbc.sql(dialect.nextValues("product_id_seq", size))
                        .query(Long.class)
                        .list();
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
        long version = changes.nextSeq();
        List<Product> rows = new ArrayList<>(ids.size());
        for (long id : ids) {
            rows.add(gen.product(id, version));
        }
        Connection c = DataSourceUtils.getConnection(dataSource);
        longWork.lift(c);
        try {
            if (dialect == Dialect.POSTGRES) {
                copy(c, rows);
            } else {
                batch(c, rows);
            }
        } catch (SQLException | IOException e) {
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

    private static void copy(Connection c, List<Product> chunk) throws SQLException, IOException {
        StringBuilder csv = new StringBuilder(chunk.size() * 400);
        for (Product p : chunk) {
            Object[] values = ProductRepository.values(p);
            for (int i = 0; i < values.length; i++) {
                Object v = values[i];
                if (v instanceof String text) {
                    quote(csv, text); // quoted, so an empty string stays a string
                } else if (v != null) {
                    csv.append(v); // unquoted empty is NULL
                }
                csv.append(i + 1 < values.length ? ',' : '\n');
            }
        }
        c.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn(
                        "COPY products (" + ProductRepository.COLUMNS + ") FROM STDIN WITH (FORMAT csv)",
                        new StringReader(csv.toString()));
    }

    private static StringBuilder quote(StringBuilder sb, String s) {
        return sb.append('"').append(s.replace("\"", "\"\"")).append('"');
    }

    private static void batch(Connection c, List<Product> chunk) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO products (" + ProductRepository.COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int n = 0;
            for (Product p : chunk) {
                Object[] values = ProductRepository.values(p);
                for (int i = 0; i < values.length; i++) {
                    StatementCreatorUtils.setParameterValue(ps, i + 1, SqlTypeValue.TYPE_UNKNOWN, values[i]);
                }
                ps.addBatch();
                if (++n % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }
}
