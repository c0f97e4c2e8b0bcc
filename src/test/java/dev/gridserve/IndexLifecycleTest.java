package dev.gridserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gridserve.changes.ChangeFollower;
import dev.gridserve.changes.ChangeLog;
import dev.gridserve.changes.Reconciler;
import dev.gridserve.changes.VersionPublisher;
import dev.gridserve.search.TableIndex;
import dev.gridserve.storage.StoredRow;
import dev.gridserve.support.Apps;
import dev.gridserve.support.Bodies;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import dev.gridserve.support.TcpProxy;
import dev.gridserve.tables.Table;
import dev.gridserve.tables.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** The index's lifecycle across stops, rebuilds, divergence, other instances and an unreachable database. */
class IndexLifecycleTest {

    static long total(Http http, String query) {
        return http.get("/api/v1/products?page_size=1" + query)
                .json()
                .get("total")
                .asLong();
    }

    static List<String> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(Path::toString).sorted().toList();
        }
    }

    @Test
    void aSecondProcessOnTheSameDataDirectoryRefusesToStartAndDeletesNothing() throws Exception {
        PostgresSchema pg = new PostgresSchema();
        try (ConfigurableApplicationContext a = Apps.start(Apps.over(pg, pg.dataDir))) {
            Http http = Apps.http(a);
            assertThat(http.post("/api/v1/products", Bodies.product("LOCK-1", 1))
                            .status())
                    .isEqualTo(201);
            List<String> before = files(pg.dataDir.resolve("index"));

            assertThatThrownBy(() -> Apps.start(Apps.over(pg, pg.dataDir)))
                    .hasStackTraceContaining("is in use by another gridserve process")
                    .hasStackTraceContaining("nothing in the directory was changed");

            assertThat(files(pg.dataDir.resolve("index"))).isEqualTo(before);
            assertThat(total(http, "&search=convergent")).isEqualTo(1);
        } finally {
            pg.drop();
        }
    }

    @Test
    void aStopDuringARuntimeRebuildLeavesThePreviousIndexExactlyAsItWas() throws Exception {
        PostgresSchema pg = new PostgresSchema();
        String[] props = Apps.over(pg, pg.dataDir, "seed=60000");
        try {
            try (ConfigurableApplicationContext ctx = Apps.start(props)) {
                assertThat(total(Apps.http(ctx), "")).isEqualTo(60_000);
                ctx.getBean(ChangeFollower.class).requestRebuild("a test asked for it");
                Http http = Apps.http(ctx);
                for (int i = 0; i < 600 && indexedByRebuild(http) < 1000; i++) {
                    Thread.sleep(10);
                }
                assertThat(indexedByRebuild(http))
                        .as("stopping in the middle of the rebuild")
                        .isBetween(1000L, 59_000L);
                // reads keep coming from the live generation meanwhile
                assertThat(total(http, "")).isEqualTo(60_000);
            }
            try (ConfigurableApplicationContext ctx = Apps.start(Apps.over(pg, pg.dataDir))) {
                assertThat(ctx.getBean(ChangeFollower.class).rebuilds()).isZero();
                assertThat(total(Apps.http(ctx), "")).isEqualTo(60_000);
                assertThat(ctx.getBean(Reconciler.class).check().inSync()).isTrue();
                try (Stream<Path> gens = Files.list(pg.dataDir.resolve("index"))) {
                    assertThat(gens.filter(Files::isDirectory).count())
                            .as("the stopped build's generation was deleted")
                            .isEqualTo(1);
                }
            }
        } finally {
            pg.drop();
        }
    }

    private static long indexedByRebuild(Http http) {
        JsonNode r = http.get("/health").json().get("index").get("rebuilding");
        return r == null ? -1 : r.get("indexed").asLong();
    }

    @Test
    void aRuntimeRebuildSwapsInWhileReadsAndWritesGoOn() throws Exception {
        PostgresSchema pg = new PostgresSchema();
        try (ConfigurableApplicationContext ctx = Apps.start(Apps.over(pg, pg.dataDir, "seed=20000"))) {
            Http http = Apps.http(ctx);
            ChangeFollower follower = ctx.getBean(ChangeFollower.class);
            follower.requestRebuild("a test asked for it");
            int written = 0;
            while (follower.rebuilds() == 0) {
                assertThat(http.post("/api/v1/products", Bodies.product("DURING-" + written++, 4))
                                .status())
                        .isEqualTo(201);
                assertThat(total(http, "&search=during-"))
                        .as("a write is listed at once, rebuild or not")
                        .isEqualTo(written);
            }
            assertThat(total(http, "")).isEqualTo(20_000 + written);
            assertThat(total(http, "&search=during-")).isEqualTo(written);
            assertThat(ctx.getBean(Reconciler.class).check().inSync()).isTrue();
        } finally {
            pg.drop();
        }
    }

    @Test
    void aSmallDivergenceIsRepairedByReapplyingTheDifferingIdsNotByARebuild() throws Exception {
        PostgresSchema pg = new PostgresSchema();
        try (ConfigurableApplicationContext ctx = Apps.start(Apps.over(pg, pg.dataDir, "seed=5000"))) {
            Http http = Apps.http(ctx);
            TableIndex index = ctx.getBean(TableIndex.class);
            Table products = ctx.getBean(Tables.class).require("products");
            Reconciler reconciler = ctx.getBean(Reconciler.class);
            assertThat(reconciler.check().inSync()).isTrue();
            int builds = ctx.getBean(ChangeFollower.class).rebuilds(); // its first, at start
            // the index loses two documents and keeps a stale copy of a third (what a bug or a bad disk might do)
            StoredRow stale = products.store().find(17).orElseThrow();
            Map<String, Object> values = new LinkedHashMap<>(stale.values());
            values.put("name", "Stale copy");
            StoredRow older = new StoredRow(stale.id(), values, stale.version() - 1);
            index.apply(List.of(products.rows().row(older)), List.of(3L, 4000L));
            assertThat(total(http, "")).isEqualTo(4998);

            Reconciler.Result found = reconciler.check();
            assertThat(found.inSync()).isFalse();
            assertThat(found.repaired()).as("three differing ids re-applied").isEqualTo(3);
            Reconciler.Result healed = null;
            for (int i = 0; i < 100; i++) {
                healed = reconciler.check();
                if (Boolean.TRUE.equals(healed.inSync())) {
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(healed.inSync()).isTrue();
            assertThat(ctx.getBean(ChangeFollower.class).rebuilds()).isEqualTo(builds);
            assertThat(total(http, "")).isEqualTo(5000);
            assertThat(total(http, "&search=stale%20copy")).isZero();
        } finally {
            pg.drop();
        }
    }

    @Test
    void aSeedWhileAnotherInstanceServesIsFollowedChunkByChunkWithoutARebuild() throws Exception {
        PostgresSchema pg = new PostgresSchema();
        try (ConfigurableApplicationContext serving = Apps.start(Apps.over(pg, pg.dataDir))) {
            Http http = Apps.http(serving);
            assertThat(http.post("/api/v1/products", Bodies.product("SERVED-1", 1))
                            .status())
                    .isEqualTo(201);
            int builds = serving.getBean(ChangeFollower.class).rebuilds(); // its first, at start
            try (ConfigurableApplicationContext seeding =
                    Apps.start(Apps.over(pg, Files.createTempDirectory("gridserve-seeding-"), "seed=45000"))) {
                long max = seeding.getBean(ChangeLog.class).maxSeq();
                assertThat(serving.getBean(ChangeFollower.class).awaitApplied(max))
                        .isTrue();
            }
            assertThat(total(http, "")).isEqualTo(45_001);
            assertThat(serving.getBean(ChangeFollower.class).rebuilds()).isEqualTo(builds);
            assertThat(serving.getBean(Reconciler.class).check().inSync()).isTrue();
        } finally {
            pg.drop();
        }
    }

    @Test
    void aStartWhileTheDatabaseIsUnreachableIsRetriedAndSaysWhy() throws Exception {
        PostgresSchema pg = new PostgresSchema();
        // the schema exists (migrated once) but the database cannot be reached when the next start begins
        Apps.start(Apps.over(pg, Files.createTempDirectory("gridserve-migrate-")))
                .close();
        try (TcpProxy proxy = new TcpProxy(5432)) {
            proxy.cut();
            String url = "gridserve.database.url=jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test?currentSchema="
                    + pg.schema;
            try (ConfigurableApplicationContext ctx = Apps.start(Apps.over(
                    pg, pg.dataDir, url, "gridserve.data.await-index-on-start=false", "spring.flyway.enabled=false"))) {
                Http http = Apps.http(ctx);
                JsonNode health = null;
                for (int i = 0; i < 300; i++) {
                    health = http.get("/health").json();
                    if (health.get("problems").toString().contains("Start-up failed")) {
                        break;
                    }
                    Thread.sleep(50);
                }
                assertThat(health.get("status").stringValue()).isEqualTo("starting");
                assertThat(health.get("problems").toString()).contains("Start-up failed", "trying again at");
                assertThat(http.get("/health/ready").status()).isEqualTo(503);
                assertThat(http.get("/health/live").status()).isEqualTo(200);

                proxy.restore();
                for (int i = 0; i < 400 && http.get("/health/ready").status() != 200; i++) {
                    Thread.sleep(50);
                }
                assertThat(http.get("/health/ready").status()).isEqualTo(200);
                Http.Response retried = http.post("/api/v1/products", Bodies.product("RETRIED-1", 1));
                for (int i = 0; i < 100 && retried.status() == 503; i++) { // until the database probe agrees
                    Thread.sleep(50);
                    retried = http.post("/api/v1/products", Bodies.product("RETRIED-1", 1));
                }
                assertThat(retried.status()).isEqualTo(201);
            }
        } finally {
            pg.drop();
        }
    }

    @Test
    void aGracefulShutdownFinishesTheRequestsInFlightAndCommitsWhatTheyWrote() throws Exception {
        PostgresSchema pg = new PostgresSchema();
        String id;
        try {
            try (ConfigurableApplicationContext ctx = Apps.start(Apps.over(pg, pg.dataDir))) {
                Http http = Apps.http(ctx);
                id = http.post("/api/v1/products", Bodies.product("GRACE-1", 1))
                        .json()
                        .get("_id")
                        .stringValue();
                // hold the follower right after it applies one write, so that the next one waits (in flight) for
                // its change to be applied
                CountDownLatch release = new CountDownLatch(1);
                CountDownLatch held = new CountDownLatch(1);
                ctx.getBean(VersionPublisher.class).subscribe(v -> {
                    held.countDown();
                    awaitQuietly(release);
                });
                assertThat(http.post("/api/v1/products", Bodies.product("GRACE-2", 1))
                                .status())
                        .isEqualTo(201);
                CompletableFuture<Http.Response> write =
                        CompletableFuture.supplyAsync(() -> http.put("/api/v1/products/" + id, "{\"stock\": 77}"));
                assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
                // closing only once the write has committed and waits for the held follower: closed while the
                // request was still being sent (a slow machine), the server refused it as a new request
                JdbcTemplate db = new JdbcTemplate(ctx.getBean(DataSource.class));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (db.queryForObject("SELECT stock FROM products WHERE id = ?", Integer.class, Long.parseLong(id))
                                != 77
                        && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                CompletableFuture<Void> closing = CompletableFuture.runAsync(ctx::close);
                Thread.sleep(500);
                assertThat(write)
                        .as("the write waits while the server shuts down")
                        .isNotDone();
                release.countDown();
                assertThat(write.get(20, TimeUnit.SECONDS).status())
                        .as("the request in flight finished")
                        .isEqualTo(200);
                closing.get(30, TimeUnit.SECONDS);
            }
            try (ConfigurableApplicationContext ctx = Apps.start(Apps.over(pg, pg.dataDir))) {
                assertThat(ctx.getBean(ChangeFollower.class).rebuilds()).isZero();
                JsonNode p = Apps.http(ctx)
                        .get("/api/v1/products?search=grace-1")
                        .json()
                        .get("products")
                        .get(0);
                assertThat(p.get("stock").asInt()).isEqualTo(77);
            }
        } finally {
            pg.drop();
        }
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
