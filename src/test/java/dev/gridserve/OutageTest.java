package dev.gridserve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.changes.ChangeFollower;
import dev.gridserve.changes.ChangeLog;
import dev.gridserve.support.Apps;
import dev.gridserve.support.Bodies;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import dev.gridserve.support.TcpProxy;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** PostgreSQL goes away (through a proxy that drops every connection, or stalls them) and comes back. */
class OutageTest {
    @Test
    void aStalledDatabaseIsNoticedReadsComeFromTheIndexAndWritesGet503AtOnce() throws Exception {
        PostgresSchema pg = new PostgresSchema();
        try (TcpProxy proxy = new TcpProxy(5432)) {
            String url = "gridserve.database.url=jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test?currentSchema="
                    + pg.schema;
            try (ConfigurableApplicationContext ctx = Apps.start(Apps.over(pg, pg.dataDir, url))) {
                Http http = Apps.http(ctx);
                String id = http.post("/api/v1/products", Bodies.product("STALL-1", 3))
                        .json()
                        .get("_id")
                        .stringValue();

                proxy.stall();
                long t0 = System.nanoTime();
                while (http.get("/health").json().get("database").stringValue().equals("connected")) {
                    Thread.sleep(50);
                    assertThat(System.nanoTime() - t0)
                            .as("the stall is never noticed")
                            .isLessThan(30_000_000_000L);
                }
                System.out.printf("stall noticed after %.0f ms%n", (System.nanoTime() - t0) / 1e6);

                long t1 = System.nanoTime();
                Http.Response one = http.get("/api/v1/products/" + id);
                System.out.printf("get by id during the stall: %.0f ms%n", (System.nanoTime() - t1) / 1e6);
                assertThat(one.status()).isEqualTo(200);
                assertThat(one.json().get("sku").stringValue()).isEqualTo("STALL-1");
                assertThat(http.get("/api/v1/products?search=convergent")
                                .json()
                                .get("total")
                                .asLong())
                        .isEqualTo(1);
                Http.Response write = http.post("/api/v1/products", Bodies.product("STALL-2", 4));
                assertThat(write.status()).isEqualTo(503);
                assertThat(write.header("Retry-After")).isNotBlank();
                System.out.printf(
                        "during the stall: get, list and a refused write together took %.0f ms%n",
                        (System.nanoTime() - t1) / 1e6);
                assertThat(http.get("/health/ready").status()).isEqualTo(200);

                proxy.unstall();
                Http.Response again = http.post("/api/v1/products", Bodies.product("STALL-2", 4));
                for (int i = 0; i < 200 && again.status() == 503; i++) {
                    Thread.sleep(100);
                    again = http.post("/api/v1/products", Bodies.product("STALL-2", 4));
                }
                assertThat(again.status()).as(again.raw()).isEqualTo(201);
            }
        } finally {
            pg.drop();
        }
    }

    @Test
    void readsKeepServingWritesAre503AndEverythingResumes() throws Exception {
        PostgresSchema pg = new PostgresSchema();
        try (TcpProxy proxy = new TcpProxy(5432)) {
            String url = "gridserve.database.url=jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test?currentSchema="
                    + pg.schema;
            try (ConfigurableApplicationContext ctx = Apps.start(Apps.over(pg, pg.dataDir, url))) {
                Http http = Apps.http(ctx);
                String id = http.post("/api/v1/products", Bodies.product("OUT-1", 3))
                        .json()
                        .get("_id")
                        .stringValue();

                proxy.cut();

                Http.Response list = http.get("/api/v1/products?search=convergent");
                assertThat(list.status()).isEqualTo(200);
                assertThat(list.json().get("total").asLong()).isEqualTo(1);
                Http.Response one = http.get("/api/v1/products/" + id);
                assertThat(one.status()).isEqualTo(200);
                assertThat(one.json().get("sku").stringValue()).isEqualTo("OUT-1");
                assertThat(http.get("/api/v1/products/stats/summary").status()).isEqualTo(200);

                Http.Response write = http.post("/api/v1/products", Bodies.product("OUT-2", 4));
                assertThat(write.status()).isEqualTo(503);
                assertThat(write.header("Retry-After")).isNotBlank();
                assertThat(write.json().get("detail").stringValue()).contains("database");
                // reads still work, so the instance stays ready (an orchestrator must not restart it) and says
                // what is degraded, as soon as its database probe has noticed
                Http.Response health = http.get("/health");
                for (int i = 0;
                        i < 100 && health.json().get("database").stringValue().equals("connected");
                        i++) {
                    Thread.sleep(50);
                    health = http.get("/health");
                }
                assertThat(health.status()).isEqualTo(200);
                assertThat(health.json().get("status").stringValue()).isEqualTo("degraded");
                assertThat(health.json().get("database").stringValue()).isEqualTo("disconnected");
                assertThat(health.json().get("problems").toString()).contains("database is unreachable");
                assertThat(http.get("/health/ready").status()).isEqualTo(200);
                assertThat(http.get("/health/live").status()).isEqualTo(200);

                proxy.restore();

                // pooled connections broken by the outage are discarded as they fail; writes resume within seconds
                Http.Response again = http.post("/api/v1/products", Bodies.product("OUT-2", 4));
                for (int i = 0; i < 100 && again.status() == 503; i++) {
                    Thread.sleep(100);
                    again = http.post("/api/v1/products", Bodies.product("OUT-2", 4));
                }
                assertThat(again.status()).as(again.raw()).isEqualTo(201);
                assertThat(http.get("/api/v1/products?search=convergent")
                                .json()
                                .get("total")
                                .asLong())
                        .isEqualTo(2);
                long max = ctx.getBean(ChangeLog.class).maxSeq();
                assertThat(ctx.getBean(ChangeFollower.class).awaitApplied(max)).isTrue();
                JsonNode healthy = http.get("/health").json();
                for (int i = 0; i < 100 && !healthy.get("status").stringValue().equals("healthy"); i++) {
                    Thread.sleep(50);
                    healthy = http.get("/health").json();
                }
                assertThat(healthy.get("status").stringValue())
                        .as(healthy.toString())
                        .isEqualTo("healthy");
            }
        } finally {
            pg.drop();
        }
    }
}
