package dev.gridserve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Bodies;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * kill -9 of a separate server process in the middle of concurrent writes: after a restart over the same data
 * directory, the index agrees with the database and every acknowledged write is there.
 */
class KillTest {
    @Test
    void killNineDuringWritesLosesNothingAcknowledged() throws Exception {
        PostgresSchema pg = new PostgresSchema();
        int port = freePort();
        try {
            Process first = launch(pg, port);
            Http http = new Http(port);
            awaitHealthy(http, first);
            ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(6);
            for (int t = 0; t < 6; t++) {
                int thread = t;
                pool.submit(() -> {
                    for (int i = 0; ; i++) {
                        try {
                            Http.Response r = http.post("/api/v1/products", Bodies.product("K-" + thread + "-" + i, 3));
                            if (r.status() == 201) {
                                acked.add(r.json().get("_id").stringValue());
                            }
                        } catch (RuntimeException e) {
                            return; // the server is gone
                        }
                    }
                });
            }
            while (acked.size() < 150) {
                Thread.sleep(10);
            }
            first.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, no final index commit
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

            Process second = launch(pg, port);
            try {
                awaitHealthy(http, second);
                JsonNode rec = null;
                for (int i = 0; i < 100; i++) {
                    rec = http.get("/health").json().get("index").get("reconciliation");
                    if (rec != null && !rec.isNull() && rec.get("in_sync").isBoolean()) {
                        break;
                    }
                    Thread.sleep(100);
                }
                assertThat(rec.get("in_sync").asBoolean()).as(rec.toString()).isTrue();
                String listed = http.get("/api/v1/products?search=convergent&page_size=1000")
                        .raw();
                List<String> missing = new ArrayList<>();
                for (String id : acked) {
                    if (!listed.contains("\"_id\":\"" + id + "\"")) {
                        missing.add(id);
                    }
                }
                assertThat(missing)
                        .as("acknowledged writes missing after kill -9")
                        .isEmpty();
            } finally {
                second.destroy();
                second.waitFor();
            }
        } finally {
            pg.drop();
        }
    }

    @Test
    void killNineDuringABulkSeedHealsToTheDatabase() throws Exception {
        PostgresSchema pg = new PostgresSchema();
        int port = freePort();
        Http http = new Http(port);
        try {
            Process first = launch(pg, port);
            awaitHealthy(http, first);
            assertThat(http.post("/api/v1/products", Bodies.product("SEEDKILL-1", 1))
                            .status())
                    .isEqualTo(201);
            first.destroy();
            first.waitFor();

            // a bulk load over the existing index, killed part-way: rows land without the BULK marker
            Process seeding = launch(pg, port, "--seed=400000");
            long deadline = System.currentTimeMillis() + 60_000;
            while (rows(pg) < 40_000 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            seeding.destroyForcibly().waitFor();
            long inDb = rows(pg);
            assertThat(inDb).isBetween(40_000L, 400_000L);

            Process second = launch(pg, port);
            try {
                awaitHealthy(http, second);
                long listed = -1;
                for (int i = 0; i < 600 && listed != inDb; i++) {
                    Thread.sleep(100);
                    listed = http.get("/api/v1/products?page_size=1")
                            .json()
                            .get("total")
                            .asLong();
                }
                assertThat(listed).as("index healed to the database's rows").isEqualTo(inDb);
            } finally {
                second.destroy();
                second.waitFor();
            }
        } finally {
            pg.drop();
        }
    }

    private static long rows(PostgresSchema pg) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), "postgres", "");
                java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM products")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return 0; // schema not created yet
        }
    }

    private static Process launch(PostgresSchema pg, int port, String... extra) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(
                        java,
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        GridserveApplication.class.getName(),
                        "--server.port=" + port,
                        "--gridserve.database.url=" + pg.jdbcUrl(),
                        "--gridserve.database.user=postgres",
                        "--spring.flyway.schemas=" + pg.schema,
                        "--gridserve.data.dir=" + pg.dataDir,
                        "--gridserve.data.seed-on-empty=0",
                        "--gridserve.data.await-index-on-start=true",
                        "--gridserve.changes.reconcile-interval=1s",
                        "--gridserve.changes.commit-interval=50ms",
                        extra.length > 0 ? extra[0] : "--gridserve.changes.poll-interval=200ms")
                .redirectErrorStream(true)
                .redirectOutput(pg.dataDir
                        .resolve("server-" + System.nanoTime() + ".log")
                        .toFile())
                .start();
    }

    private static void awaitHealthy(Http http, Process p) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            assertThat(p.isAlive()).as("server process exited").isTrue();
            try {
                if (http.get("/health").status() == 200) {
                    return;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("server never became healthy");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
