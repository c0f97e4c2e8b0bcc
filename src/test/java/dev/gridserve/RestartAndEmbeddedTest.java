package dev.gridserve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.changes.ChangeFollower;
import dev.gridserve.support.Apps;
import dev.gridserve.support.Bodies;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** Whole-application lifecycles: the embedded H2 default, and restarting over an existing index. */
class RestartAndEmbeddedTest {

    @Test
    void embeddedDefaultSeedsAnEmptyH2DatabaseAndServesIt() throws Exception {
        Path dir = Files.createTempDirectory("gridserve-h2-");
        try (ConfigurableApplicationContext ctx = Apps.start(Apps.embedded(dir, "gridserve.data.seed-on-empty=1500"))) {
            Http http = Apps.http(ctx);
            JsonNode page =
                    http.get("/api/v1/products?page_size=5&facets=category").json();
            assertThat(page.get("total").asLong()).isEqualTo(1500);
            assertThat(page.get("facets").get("category")).hasSizeLessThanOrEqualTo(12);
            assertThat(Files.exists(dir.resolve("db"))).isTrue();
            String sku = page.get("products").get(0).get("sku").stringValue();
            assertThat(sku).matches("[A-Z]{3}-\\d{4}-[A-Z]{3}");

            Http.Response created = http.post("/api/v1/products", Bodies.product("H2-1", 5));
            assertThat(created.status()).isEqualTo(201);
            String id = created.json().get("_id").stringValue();
            assertThat(http.put("/api/v1/products/" + id, "{\"stock\":9}")
                            .json()
                            .get("stock")
                            .asInt())
                    .isEqualTo(9);
            assertThat(http.post("/api/v1/products", Bodies.product("h2-1", 5)).status())
                    .isEqualTo(409);
            assertThat(http.get("/api/v1/products?search=convergent")
                            .json()
                            .get("total")
                            .asLong())
                    .isEqualTo(1);
            assertThat(http.delete("/api/v1/products/" + id).status()).isEqualTo(204);
            assertThat(http.get("/api/v1/products/stats/summary")
                            .json()
                            .get("total_products")
                            .asLong())
                    .isEqualTo(1500);
        }
        // second start: not seeded again, index reopened without a rebuild
        try (ConfigurableApplicationContext ctx = Apps.start(Apps.embedded(dir, "gridserve.data.seed-on-empty=1500"))) {
            assertThat(ctx.getBean(ChangeFollower.class).rebuilds()).isZero();
            assertThat(Apps.http(ctx)
                            .get("/api/v1/products")
                            .json()
                            .get("total")
                            .asLong())
                    .isEqualTo(1500);
        }
    }

    @Test
    void restartCatchesUpFromTheChangeLogInsteadOfRebuilding() throws Exception {
        PostgresSchema pg = new PostgresSchema();
        String[] props = Apps.over(pg, pg.dataDir);
        try {
            try (ConfigurableApplicationContext ctx = Apps.start(props)) {
                assertThat(Apps.http(ctx)
                                .post("/api/v1/products", Bodies.product("R-1", 1))
                                .status())
                        .isEqualTo(201);
            }
            // while this instance is down, another writes (row + change, as the service does)
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "")) {
                c.createStatement()
                        .execute("INSERT INTO products (id, name, description, price, category, stock,"
                                + " sku, sku_key, tags, created_at, updated_at, version) VALUES (nextval('product_id_seq'),"
                                + " 'Written elsewhere', 'd', 2.00, 'c', 1, 'R-2', 'r-2', '', now(), now(), 0)");
                c.createStatement()
                        .execute("INSERT INTO product_changes (seq, product_id, op, changed_at)"
                                + " VALUES (nextval('change_seq'), currval('product_id_seq'), 'U', now())");
            }
            try (ConfigurableApplicationContext ctx = Apps.start(props)) {
                assertThat(ctx.getBean(ChangeFollower.class).rebuilds()).isZero();
                JsonNode list = Apps.http(ctx).get("/api/v1/products").json();
                assertThat(list.get("total").asLong()).isEqualTo(2);
                assertThat(list.toString()).contains("Written elsewhere");
            }
        } finally {
            pg.drop();
        }
    }
}
