package dev.gridserve.changes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Apps;
import dev.gridserve.support.Bodies;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Writes made by other programs with plain SQL on the products table (not through the API) reach the index of
 * every instance through the capture trigger: within a second, a bulk UPDATE of 100,000 rows without a
 * rebuild, and the API's own writes are not logged twice.
 */
class SqlWritesTest {
    static final int ROWS = 100_000;
    /** Polling every 5 s: a write seen sooner was announced by the trigger's NOTIFY. */
    static final String SLOW_POLL = "gridserve.changes.poll-interval=5s";

    /**
     * Milliseconds until {@code check} holds for what {@code path} answers on {@code http}. The limit is a
     * deadline for a write that never arrives, not a speed target: two instances on two slow cores took more
     * than 30 s to apply the bulk UPDATE below.
     */
    static long until(Http http, String path, Predicate<JsonNode> check, long startNanos) throws Exception {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (System.nanoTime() < deadline) {
            Http.Response r = http.get(path);
            if (r.status() == 200 && check.test(r.json())) {
                return (System.nanoTime() - startNanos) / 1_000_000;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("never true: " + path);
    }

    static long count(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void directSqlWritesReachEveryInstanceAndABulkUpdateNeedsNoRebuild() throws Exception {
        PostgresSchema pg = new PostgresSchema();
        try (ConfigurableApplicationContext a =
                        Apps.start(Apps.over(pg, pg.dataDir, "gridserve.data.seed-on-empty=" + ROWS));
                ConfigurableApplicationContext b =
                        Apps.start(Apps.over(pg, Files.createTempDirectory("gridserve-b-")));
                Connection sql = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "")) {
            List<Http> both = List.of(Apps.http(a), Apps.http(b));
            Http api = both.getFirst();
            String search = "/api/v1/products?search=Direct%20SQL%20Lamp&fields=name,price";

            // INSERT with only the product's own fields: id, sku key, timestamps and version are filled in
            long t0 = System.nanoTime();
            long id;
            try (Statement st = sql.createStatement();
                    ResultSet rs = st.executeQuery("INSERT INTO products (name, description, price, category, stock,"
                            + " sku) VALUES ('Direct SQL Lamp', 'made by psql', 9.99, 'Office', 3, 'SQL-1')"
                            + " RETURNING id")) {
                rs.next();
                id = rs.getLong(1);
            }
            List<Long> lags = new ArrayList<>();
            for (Http h : both) {
                lags.add(until(h, search, j -> j.get("total").longValue() == 1, t0));
            }
            t0 = System.nanoTime();
            try (Statement st = sql.createStatement()) {
                st.executeUpdate("UPDATE products SET price = 19.99 WHERE id = " + id);
            }
            for (Http h : both) {
                lags.add(until(
                        h,
                        search,
                        j -> j.get("total").longValue() == 1
                                && j.get("products")
                                                .get(0)
                                                .get("price")
                                                .decimalValue()
                                                .doubleValue()
                                        == 19.99,
                        t0));
            }
            JsonNode got = api.get("/api/v1/products/" + id).json();
            assertThat(got.get("sku").stringValue()).isEqualTo("SQL-1");
            assertThat(got.get("created_at").isNull()).isFalse();
            assertThat(api.post("/api/v1/products", Bodies.product("sql-1", 5)).status())
                    .as("the trigger filled in the case-insensitive SKU key")
                    .isEqualTo(409);
            t0 = System.nanoTime();
            try (Statement st = sql.createStatement()) {
                st.executeUpdate("DELETE FROM products WHERE id = " + id);
            }
            for (Http h : both) {
                lags.add(until(h, search, j -> j.get("total").longValue() == 0, t0));
            }
            System.out.printf("direct SQL write -> visible (insert, update, delete on A and B), ms: %s%n", lags);
            assertThat(lags)
                    .as("woken by the trigger's NOTIFY, not by the 5 s poll")
                    .allSatisfy(ms -> assertThat(ms).isLessThan(2500));

            List<String> history = new ArrayList<>();
            api.get("/api/v1/products/" + id + "/history")
                    .json()
                    .get("history")
                    .forEach(e -> history.add(e.get("action").stringValue() + " by "
                            + e.get("actor").stringValue()));
            assertThat(history)
                    .containsExactly("delete by sql:postgres", "update by sql:postgres", "create by sql:postgres");

            // the API's own writes: one change-log entry each, not one more from the trigger
            String made = api.post("/api/v1/products", Bodies.product("SQLAPI-1", 5))
                    .json()
                    .get("_id")
                    .stringValue();
            api.put("/api/v1/products/" + made, "{\"stock\": 9}");
            api.delete("/api/v1/products/" + made);
            assertThat(count(sql, "SELECT COUNT(*) FROM product_changes WHERE product_id = " + made))
                    .isEqualTo(3);
            assertThat(count(
                            sql,
                            "SELECT COUNT(*) FROM product_changes WHERE product_id = " + made
                                    + " AND actor LIKE 'sql:%'"))
                    .isZero();

            // a bulk UPDATE of every row: followed without a rebuild, on both instances
            long rebuildsA =
                    api.get("/health").json().get("index").get("rebuilds").longValue();
            long rebuildsB = both.get(1)
                    .get("/health")
                    .json()
                    .get("index")
                    .get("rebuilds")
                    .longValue();
            long stock = api.get("/api/v1/products/stats/summary")
                    .json()
                    .get("total_stock")
                    .longValue();
            long rows = count(sql, "SELECT COUNT(*) FROM products");
            assertThat(rows).isEqualTo(ROWS);
            t0 = System.nanoTime();
            try (Statement st = sql.createStatement()) {
                assertThat(st.executeUpdate("UPDATE products SET stock = stock + 1"))
                        .isEqualTo(ROWS);
            }
            long updateMs = (System.nanoTime() - t0) / 1_000_000;
            List<Long> applied = new ArrayList<>();
            for (Http h : both) {
                applied.add(until(
                        h,
                        "/api/v1/products/stats/summary",
                        j -> j.get("total_stock").longValue() == stock + ROWS,
                        t0));
            }
            // what the trigger costs a writer: the same UPDATE on a copy of the table without it
            try (Statement st = sql.createStatement()) {
                st.execute("CREATE TABLE products_plain AS SELECT * FROM products");
                long u0 = System.nanoTime();
                st.executeUpdate("UPDATE products_plain SET stock = stock + 1");
                long plainMs = (System.nanoTime() - u0) / 1_000_000;
                System.out.printf(
                        "UPDATE of %d rows: %d ms with the capture trigger, %d ms without (%.1f µs per row);"
                                + " in the index on A and B after %s ms%n",
                        ROWS, updateMs, plainMs, (updateMs - plainMs) * 1000.0 / ROWS, applied);
            }
            assertThat(api.get("/health").json().get("index").get("rebuilds").longValue())
                    .as("no rebuild on A")
                    .isEqualTo(rebuildsA);
            assertThat(both.get(1)
                            .get("/health")
                            .json()
                            .get("index")
                            .get("rebuilds")
                            .longValue())
                    .as("no rebuild on B")
                    .isEqualTo(rebuildsB);
            assertThat(a.getBean(Reconciler.class).check().inSync()).isTrue();
        } finally {
            pg.drop();
        }
    }
}
