package dev.gridserve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Apps;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The production default: the web server opens at once and says "starting" (503) while the database is seeded
 * and the index built; reads are 503 with Retry-After rather than wrong; then everything is served.
 */
class StartupTest {
    @Test
    void healthSaysStartingAndReadsWaitUntilTheIndexIsBuilt() throws Exception {
        PostgresSchema pg = new PostgresSchema();
        try (ConfigurableApplicationContext ctx = Apps.start(Apps.over(
                pg, pg.dataDir, "gridserve.data.await-index-on-start=false", "gridserve.data.seed-on-empty=60000"))) {
            Http http = Apps.http(ctx);
            Http.Response health = http.get("/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().get("status").stringValue()).isEqualTo("starting");
            assertThat(health.json().get("index").get("ready").asBoolean()).isFalse();
            assertThat(http.get("/health/ready").status())
                    .as("not ready for reads yet")
                    .isEqualTo(503);
            assertThat(http.get("/health/live").status())
                    .as("but alive: no restart")
                    .isEqualTo(200);
            Http.Response list = http.get("/api/v1/products");
            assertThat(list.status()).isEqualTo(503);
            assertThat(list.header("Retry-After")).isNotBlank();
            assertThat(list.json().get("detail").stringValue()).contains("index");

            for (int i = 0; i < 1200 && http.get("/health").status() != 200; i++) {
                Thread.sleep(100);
            }
            JsonNode ready = http.get("/health").json();
            assertThat(ready.get("status").stringValue()).isEqualTo("healthy");
            assertThat(http.get("/health/ready").status()).isEqualTo(200);
            assertThat(http.get("/api/v1/products").json().get("total").asLong())
                    .isEqualTo(60000);
        } finally {
            pg.drop();
        }
    }
}
