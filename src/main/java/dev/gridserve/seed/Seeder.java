package dev.gridserve.seed;

import dev.gridserve.changes.ChangeLog;
import dev.gridserve.product.Product;
import dev.gridserve.search.Progress;
import dev.gridserve.system.Dialect;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    private static final String COLUMNS = "id, name, description, price, category, stock, sku, sku_key, brand,"
            + " rating, reviews_count, tags, created_at, updated_at, version";

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
            csv.append(p.id()).append(',');
            quote(csv, p.name()).append(',');
            quote(csv, p.description()).append(',');
            csv.append(BigDecimal.valueOf(p.priceCents(), 2).toPlainString()).append(',');
            quote(csv, p.category()).append(',');
            csv.append(p.stock()).append(',');
            quote(csv, p.sku()).append(',');
            quote(csv, p.sku().toLowerCase(Locale.ROOT)).append(',');
            if (p.brand() != null) {
                quote(csv, p.brand());
            }
            csv.append(',');
            if (p.rating() != null) {
                csv.append(p.rating());
            }
            csv.append(',');
            if (p.reviewsCount() != null) {
                csv.append(p.reviewsCount());
            }
            csv.append(',');
            quote(csv, String.join(",", p.tags())).append(',');
            csv.append(p.createdAt())
                    .append(',')
                    .append(p.updatedAt())
                    .append(',')
                    .append(p.version())
                    .append('\n');
        }
        c.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn(
                        "COPY products (" + COLUMNS + ") FROM STDIN WITH (FORMAT csv)",
                        new StringReader(csv.toString()));
    }

    private static StringBuilder quote(StringBuilder sb, String s) {
        return sb.append('"').append(s.replace("\"", "\"\"")).append('"');
    }

    private static void batch(Connection c, List<Product> chunk) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO products (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int n = 0;
            for (Product p : chunk) {
                ps.setLong(1, p.id());
                ps.setString(2, p.name());
                ps.setString(3, p.description());
                ps.setBigDecimal(4, BigDecimal.valueOf(p.priceCents(), 2));
                ps.setString(5, p.category());
                ps.setInt(6, p.stock());
                ps.setString(7, p.sku());
                ps.setString(8, p.sku().toLowerCase(Locale.ROOT));
                ps.setString(9, p.brand());
                ps.setObject(10, p.rating());
                ps.setObject(11, p.reviewsCount());
                ps.setString(12, String.join(",", p.tags()));
                ps.setObject(13, OffsetDateTime.ofInstant(p.createdAt(), ZoneOffset.UTC));
                ps.setObject(14, OffsetDateTime.ofInstant(p.updatedAt(), ZoneOffset.UTC));
                ps.setLong(15, p.version());
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
