package dev.gridserve.seed;

import dev.gridserve.changes.ChangeLog;
import dev.gridserve.product.Product;
import dev.gridserve.product.ProductRepository;
import dev.gridserve.search.Progress;
import dev.gridserve.system.Dialect;
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
import org.springframework.stereotype.Component;

/**
 * Bulk-loads generated products: COPY on PostgreSQL, batched inserts on H2, in chunks that each commit.
 * One BULK change is logged at the end so every index following the log rebuilds.
 */
@Component
public class Seeder {
    private static final Logger log = LoggerFactory.getLogger(Seeder.class);
    private static final int CHUNK = 20_000;

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final Dialect dialect;
    private final ChangeLog changes;

    Seeder(DataSource dataSource, JdbcClient jdbc, Dialect dialect, ChangeLog changes) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.changes = changes;
    }

    /** Adds {@code n} products generated from {@code randomSeed}; returns the BULK change's sequence. */
    public long seed(int n, long randomSeed) {
        ProductGenerator gen = new ProductGenerator(randomSeed);
        long version = changes.nextSeq();
        Progress progress = new Progress("Seeding", n);
        int done = 0;
        while (done < n) {
            int size = Math.min(CHUNK, n - done);
            List<Long> ids = jdbc.sql(dialect.nextValues("product_id_seq", size))
                    .query(Long.class)
                    .list();
            List<Product> chunk = new ArrayList<>(size);
            for (long id : ids) {
                chunk.add(gen.product(id, version));
            }
            try (Connection c = dataSource.getConnection()) {
                if (dialect == Dialect.POSTGRES) {
                    copy(c, chunk);
                } else {
                    batch(c, chunk);
                }
            } catch (SQLException | java.io.IOException e) {
                throw new IllegalStateException("Seeding failed after " + done + " products: " + e.getMessage(), e);
            }
            done += size;
            progress.step(done);
        }
        changes.append(version, 0, ChangeLog.BULK);
        progress.done(n);
        log.info("Seeded {} products (random seed {})", n, randomSeed);
        return version;
    }

    private static void copy(Connection c, List<Product> chunk) throws SQLException, java.io.IOException {
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
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
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
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
