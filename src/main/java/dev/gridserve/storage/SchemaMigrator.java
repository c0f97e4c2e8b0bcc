package dev.gridserve.storage;

import dev.gridserve.schema.Schemas;
import dev.gridserve.schema.TableSchema;
import dev.gridserve.system.Dialect;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Brings every table's storage in line with its schema at start-up, right after Flyway's own migrations: it
 * reads the columns the database has, plans the changes ({@link MigrationPlanner}), applies them in one
 * transaction and records the schema's checksum and what was done in {@code gridserve_schema_history}, one
 * version per change, as Flyway does for files. Instances starting together take turns (an advisory lock on
 * PostgreSQL; the embedded database has one process). A change that cannot be made stops the start.
 */
@Component
public class SchemaMigrator {
    private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);
    private static final long LOCK = 0x67726964_73636821L; // "gridsch!"

    /** What was done for one table: the version recorded and the steps applied (none when already in line). */
    public record Outcome(String table, int version, List<String> applied) {}

    private final DataSource dataSource;
    private final Dialect dialect;
    private final Schemas schemas;

    SchemaMigrator(DataSource dataSource, Dialect dialect, Schemas schemas) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.schemas = schemas;
    }

    public List<Outcome> migrateAll() {
        List<Outcome> out = new ArrayList<>();
        for (TableSchema s : schemas.all()) {
            out.add(migrate(s));
        }
        return out;
    }

    public Outcome migrate(TableSchema schema) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                if (dialect == Dialect.POSTGRES) {
                    try (Statement st = c.createStatement()) {
                        st.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
                    }
                }
                Outcome o = migrate(c, schema);
                c.commit();
                return o;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "The storage of table " + schema.name() + " could not be brought in line with " + schema.source()
                            + ": " + e.getMessage(),
                    e);
        }
    }

    private Outcome migrate(Connection c, TableSchema schema) throws SQLException {
        Outcome o = migrateColumns(c, schema);
        if (dialect == Dialect.POSTGRES && !schema.name().equals("products")) { // products' is migration V5
            try (Statement st = c.createStatement()) {
                for (String sql : CaptureTrigger.sql(schema)) {
                    st.execute(sql);
                }
            }
        }
        return o;
    }

    private Outcome migrateColumns(Connection c, TableSchema schema) throws SQLException {
        Map<String, StoredColumn> existing = columns(c, schema.name());
        List<MigrationPlanner.Step> steps = MigrationPlanner.plan(schema, existing, rows(c, schema.name()));
        int version = 0;
        String checksum = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT version, checksum FROM gridserve_schema_history"
                + " WHERE table_name = ? ORDER BY version DESC LIMIT 1")) {
            ps.setString(1, schema.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    version = rs.getInt(1);
                    checksum = rs.getString(2);
                }
            }
        }
        if (steps.isEmpty() && schema.checksum().equals(checksum)) {
            return new Outcome(schema.name(), version, List.of());
        }
        try (Statement st = c.createStatement()) {
            for (MigrationPlanner.Step step : steps) {
                for (String sql : step.sql()) {
                    st.execute(sql);
                }
                log.info("Table {}: {}", schema.name(), step.description());
            }
        }
        List<String> applied =
                steps.stream().map(MigrationPlanner.Step::description).toList();
        String description = applied.isEmpty()
                ? (existing.isEmpty() ? "created" : "schema recorded; storage already in line")
                : String.join("; ", applied);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO gridserve_schema_history"
                + " (table_name, version, checksum, description, applied_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, schema.name());
            ps.setInt(2, version + 1);
            ps.setString(3, schema.checksum());
            ps.setString(4, description.length() <= 4000 ? description : description.substring(0, 4000));
            ps.setObject(5, OffsetDateTime.now(ZoneOffset.UTC));
            ps.executeUpdate();
        }
        return new Outcome(schema.name(), version + 1, applied);
    }

    /** The table's columns as the database has them; empty when there is no such table. */
    static Map<String, StoredColumn> columns(Connection c, String table) throws SQLException {
        Map<String, StoredColumn> out = new LinkedHashMap<>();
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = md.getColumns(
                c.getCatalog(), c.getSchema(), table.replace("_", md.getSearchStringEscape() + "_"), null)) {
            while (rs.next()) {
                String name = rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
                StoredColumn.Kind kind = StoredColumn.kind(rs.getString("TYPE_NAME"));
                int size = rs.getInt("COLUMN_SIZE");
                int digits = rs.getInt("DECIMAL_DIGITS");
                boolean nullable = "YES".equalsIgnoreCase(rs.getString("IS_NULLABLE"));
                out.put(
                        name,
                        new StoredColumn(
                                name,
                                kind,
                                kind == StoredColumn.Kind.VARCHAR ? size : 0,
                                kind == StoredColumn.Kind.NUMERIC ? size : 0,
                                kind == StoredColumn.Kind.NUMERIC ? digits : 0,
                                nullable));
            }
        }
        return out;
    }

    private static MigrationPlanner.Rows rows(Connection c, String table) {
        return new MigrationPlanner.Rows() {
            @Override
            public boolean any() {
                return !strings(c, "SELECT 1 FROM " + table + " LIMIT 1").isEmpty();
            }

            @Override
            public long nulls(String column) {
                return Long.parseLong(strings(c, "SELECT COUNT(*) FROM " + table + " WHERE " + column + " IS NULL")
                        .getFirst());
            }

            @Override
            public List<String> duplicatesIgnoringCase(String column) {
                return strings(
                        c,
                        "SELECT LOWER(" + column + ") FROM " + table + " GROUP BY LOWER(" + column + ")"
                                + " HAVING COUNT(*) > 1 ORDER BY 1 LIMIT 3");
            }
        };
    }

    private static List<String> strings(Connection c, String sql) {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
