package dev.gridserve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Apps;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A query that outruns QUERY_TIMEOUT is stopped inside collection and answered with a 503 that says so, rather
 * than holding a core or returning a partial answer. Made slow on purpose: with a limit of one nanosecond every
 * index query is past it before its first window of documents is collected.
 */
class QueryDeadlineTest {
    @Test
    void aQueryPastItsTimeLimitIsStoppedAndAnswered503() throws Exception {
        PostgresSchema pg = new PostgresSchema();
        try (ConfigurableApplicationContext ctx =
                Apps.start(Apps.over(pg, pg.dataDir, "seed=3000", "gridserve.query.timeout=1ns"))) {
            Http http = Apps.http(ctx);
            for (String q : new String[] {
                "/api/v1/products",
                "/api/v1/products?search=lap&facets=category,brand,tags",
                "/api/v1/products?page=1000&page_size=2&sort_by=price",
                "/api/v1/products/stats/summary",
                "/api/v1/products/stats/summary?category=Books"
            }) {
                Http.Response r = http.get(q);
                assertThat(r.status()).as(q).isEqualTo(503);
                assertThat(r.header("Retry-After")).isNotBlank();
                JsonNode body = r.json();
                assertThat(body.get("detail").stringValue()).as(q).contains("took longer than the limit");
                assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            }
            // what needs no index work still answers
            assertThat(http.get("/api/v1/products/1").status()).isEqualTo(200);
            assertThat(http.get("/health/ready").status()).isEqualTo(200);
        } finally {
            pg.drop();
        }
    }
}
