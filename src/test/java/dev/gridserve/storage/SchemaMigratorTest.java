package dev.gridserve.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gridserve.schema.SchemaException;
import dev.gridserve.schema.SchemaFile;
import dev.gridserve.schema.Schemas;
import dev.gridserve.support.PostgresSchema;
import dev.gridserve.system.Dialect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Storage generated from schema files, on the real PostgreSQL and on H2 (the embedded default): a new table,
 * changes made in place with the rows kept, and every change that cannot be made in place refused with a
 * message naming the field, the database left as it was. The expected columns are written out here by hand,
 * not derived from the production layout.
 */
class SchemaMigratorTest {
    static final List<PostgresSchema> PG = new ArrayList<>();

    static final String ORDERS = """
            table: orders
            fields:
              customer:  {type: text, required: true, searchable: true, sortable: true, max_length: 200}
              status:    {type: keyword, required: true, filterable: true, facet: true, allowed: [new, paid, shipped]}
              country:   {type: keyword, filterable: true, facet: true, max_length: 2}
              total:     {type: decimal, scale: 2, required: true, filterable: true, sortable: true, stats: true, min: 0, max: 99999999.99}
              items:     {type: integer, required: true, min: 1, max: 1000}
              placed_at: {type: timestamp, required: true, filterable: true, sortable: true}
              paid:      {type: boolean, filterable: true}
              weight:    {type: double}
              ref:       {type: keyword, required: true, unique: true, max_length: 40}
              tags:      {type: keyword_list, filterable: true, facet: true, max_items: 10, max_length: 30}
            """;

    @AfterAll
    static void drop() {
        PG.forEach(PostgresSchema::drop);
    }

    record Db(DataSource ds, SchemaMigrator migrator) {
        SchemaMigrator.Outcome apply(String yaml) {
            return migrator.migrate(SchemaFile.parse("orders.yaml", yaml));
        }

        TreeMap<String, String> columns(String table) throws SQLException {
            TreeMap<String, String> out = new TreeMap<>();
            try (Connection c = ds.getConnection()) {
                SchemaMigrator.columns(c, table)
                        .values()
                        .forEach(col -> out.put(col.name(), col.sqlType() + (col.nullable() ? "" : " NOT NULL")));
            }
            return out;
        }

        void sql(String sql) throws SQLException {
            try (Connection c = ds.getConnection();
                    Statement st = c.createStatement()) {
                st.execute(sql);
            }
        }

        long count(String sql) throws SQLException {
            try (Connection c = ds.getConnection();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static Db open(Dialect dialect) throws Exception {
        DataSource ds;
        Flyway flyway;
        if (dialect == Dialect.POSTGRES) {
            PostgresSchema pg = new PostgresSchema();
            PG.add(pg);
            PGSimpleDataSource p = new PGSimpleDataSource();
            p.setUrl(pg.jdbcUrl());
            p.setUser("postgres");
            ds = p;
            flyway = Flyway.configure()
                    .dataSource(ds)
                    .schemas(pg.schema)
                    .locations("classpath:db/migration")
                    .load();
        } else {
            Path dir = Files.createTempDirectory("gridserve-h2-");
            JdbcDataSource h = new JdbcDataSource();
            h.setURL("jdbc:h2:file:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
            ds = h;
            flyway = Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:db/migration")
                    .load();
        }
        flyway.migrate();
        return new Db(ds, new SchemaMigrator(ds, dialect, new Schemas()));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theProductsSchemaDescribesTheProductsTableAsItIs(Dialect dialect) throws Exception {
        Db db = open(dialect);
        TreeMap<String, String> before = db.columns("products");
        List<SchemaMigrator.Outcome> out = db.migrator().migrateAll();
        assertThat(out).extracting(SchemaMigrator.Outcome::table).containsExactly("orders", "products");
        assertThat(out.get(0).applied())
                .as("the built-in orders table is created")
                .containsExactly("create table orders");
        assertThat(out.get(1)).satisfies(o -> {
            assertThat(o.applied()).as("nothing to change").isEmpty();
            assertThat(o.version()).isEqualTo(1);
        });
        assertThat(db.columns("products")).isEqualTo(before);
        assertThat(db.migrator().migrateAll().getFirst().version())
                .as("the same schema again records nothing")
                .isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aNewTableThenChangesInPlaceKeepTheRows(Dialect dialect) throws Exception {
        Db db = open(dialect);
        SchemaMigrator.Outcome created = db.apply(ORDERS);
        assertThat(created.version()).isEqualTo(1);
        TreeMap<String, String> expected = new TreeMap<>();
        expected.put("id", "BIGINT NOT NULL");
        expected.put("customer", "VARCHAR(200) NOT NULL");
        expected.put("status", "VARCHAR(100) NOT NULL");
        expected.put("country", "VARCHAR(2)");
        expected.put("total", "NUMERIC(10, 2) NOT NULL");
        expected.put("items", "INTEGER NOT NULL");
        expected.put("placed_at", "TIMESTAMP WITH TIME ZONE NOT NULL");
        expected.put("paid", "BOOLEAN");
        expected.put("weight", "DOUBLE PRECISION");
        expected.put("ref", "VARCHAR(40) NOT NULL");
        expected.put("ref_key", "VARCHAR(40) NOT NULL");
        expected.put("tags", "VARCHAR(309) NOT NULL");
        expected.put("created_at", "TIMESTAMP WITH TIME ZONE NOT NULL");
        expected.put("updated_at", "TIMESTAMP WITH TIME ZONE NOT NULL");
        expected.put("version", "BIGINT NOT NULL");
        assertThat(db.columns("orders")).isEqualTo(expected);
        assertThat(db.columns("orders_changes")).containsKeys("seq", "row_id", "row_id_to", "op", "actor", "action");
        db.sql("INSERT INTO orders (id, customer, status, total, items, placed_at, ref, ref_key, created_at,"
                + " updated_at, version) VALUES (1, 'Ada', 'new', 12.50, 2, CURRENT_TIMESTAMP, 'R-1', 'r-1',"
                + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)");
        assertThat(db.count("SELECT COUNT(*) FROM orders WHERE tags = ''"))
                .as("a keyword list with no items is empty, not NULL")
                .isEqualTo(1);
        assertThatThrownBy(() -> db.sql("INSERT INTO orders (id, customer, status, total, items, placed_at, ref,"
                        + " ref_key, created_at, updated_at, version) VALUES (2, 'Bo', 'new', 1, 1, CURRENT_TIMESTAMP,"
                        + " 'r-1', 'r-1', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 2)"))
                .as("unique regardless of case")
                .isInstanceOf(SQLException.class);

        // a new optional field, a longer text, a field made optional: in place
        String v2 = ORDERS.replace("max_length: 200}", "max_length: 300}")
                        .replace("items:     {type: integer, required: true,", "items:     {type: integer,")
                + "  note:      {type: text, max_length: 500}\n";
        SchemaMigrator.Outcome changed = db.apply(v2);
        assertThat(changed.version()).isEqualTo(2);
        assertThat(changed.applied())
                .containsExactlyInAnyOrder(
                        "widen field customer to VARCHAR(300)", "make field items optional", "add field note");
        expected.put("customer", "VARCHAR(300) NOT NULL");
        expected.put("items", "INTEGER");
        expected.put("note", "VARCHAR(500)");
        assertThat(db.columns("orders")).isEqualTo(expected);
        assertThat(db.count("SELECT COUNT(*) FROM orders WHERE customer = 'Ada' AND total = 12.50"))
                .as("the row is still there")
                .isEqualTo(1);
        assertThat(db.apply(v2).version()).as("applied once").isEqualTo(2);

        // a field made required while a row has no value for it: refused; filled in: done
        String v3 = v2.replace("items:     {type: integer,", "items:     {type: integer, required: true,");
        db.sql("UPDATE orders SET items = NULL");
        assertThatThrownBy(() -> db.apply(v3))
                .isInstanceOf(SchemaException.class)
                .hasMessageContaining("field 'items' of table orders: it is now required, but 1 rows have no value");
        db.sql("UPDATE orders SET items = 3");
        assertThat(db.apply(v3).applied()).containsExactly("make field items required");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void changesThatCannotBeMadeInPlaceAreRefusedAndChangeNothing(Dialect dialect) throws Exception {
        Db db = open(dialect);
        db.apply(ORDERS);
        db.sql("INSERT INTO orders (id, customer, status, total, items, placed_at, ref, ref_key, created_at,"
                + " updated_at, version) VALUES (1, 'Ada', 'new', 12.50, 2, CURRENT_TIMESTAMP, 'R-1', 'r-1',"
                + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)");
        db.sql("INSERT INTO orders (id, customer, status, total, items, placed_at, ref, ref_key, created_at,"
                + " updated_at, version) VALUES (2, 'ADA', 'new', 1, 1, CURRENT_TIMESTAMP, 'R-2', 'r-2',"
                + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 2)");
        TreeMap<String, String> before = db.columns("orders");
        String[][] cases = {
            {
                ORDERS.replace("total:     {type: decimal, scale: 2,", "total:     {type: long,")
                        .replace("min: 0, max: 99999999.99", "min: 0"),
                "field 'total' of table orders: it is stored as NUMERIC(10, 2) and the schema now makes it a long"
            },
            {
                ORDERS.replace("total:     {type: decimal, scale: 2,", "total:     {type: decimal, scale: 3,")
                        .replace("99999999.99", "99999999.999"),
                "field 'total' of table orders: it is stored with 2 decimal places and the schema now says 3"
            },
            {
                ORDERS.lines().filter(l -> !l.contains("status:")).reduce("", (a, b) -> a + b + "\n"),
                "column status of table orders is required in the database, but the schema has no field 'status'"
            },
            {
                ORDERS + "  channel:   {type: keyword, required: true}\n",
                "field 'channel' of table orders: it is new and required, but the table already has rows"
            },
            {
                ORDERS.replace(
                        "customer:  {type: text, required: true,",
                        "customer:  {type: text, required: true," + " unique: true,"),
                "field 'customer' of table orders: it cannot be made unique: several rows hold 'ada'"
            },
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> db.apply(c[0]))
                    .isInstanceOf(SchemaException.class)
                    .hasMessageContaining(c[1]);
            assertThat(db.columns("orders"))
                    .as("nothing changed after: " + c[1])
                    .isEqualTo(before);
        }
        assertThat(db.count("SELECT MAX(version) FROM gridserve_schema_history WHERE table_name = 'orders'"))
                .as("no refused change was recorded")
                .isEqualTo(1);

        // made unique once the values differ: a key column and a constraint, filled from the rows
        db.sql("UPDATE orders SET customer = 'Bo' WHERE id = 2");
        assertThat(db.apply(cases[4][0]).applied()).containsExactly("make field customer unique");
        assertThat(db.count("SELECT COUNT(*) FROM orders WHERE customer_key = 'ada'"))
                .isEqualTo(1);
        // (on PostgreSQL the capture trigger derives the key from the value, so both are set)
        assertThatThrownBy(() -> db.sql("UPDATE orders SET customer = 'ADA', customer_key = 'ada' WHERE id = 2"))
                .isInstanceOf(SQLException.class);
    }
}
