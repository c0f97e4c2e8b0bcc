package dev.gridserve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Bodies;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import dev.gridserve.support.TestKeys;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * kill -9 of a separate server process, on PostgreSQL and on the embedded H2 default: during concurrent writes
 * every acknowledged create, update and delete survives the restart, ids are never handed out twice, the index
 * agrees with the database without a rebuild; during a bulk seed the next start finishes the seed.
 */
class KillTest {
    enum Mode {
        POSTGRES,
        EMBEDDED
    }

    /** What the last acknowledged write of a product left; null fields while a write is in doubt. */
    record Known(boolean exists, Integer stock) {}

    @ParameterizedTest
    @EnumSource(Mode.class)
    void killNineDuringWritesLosesNothingAcknowledged(Mode mode) throws Exception {
        Server server = new Server(mode);
        try {
            Process first = server.launch();
            Http http = server.http();
            server.awaitReady(first);
            // started with the flags the Dockerfile and the README use: Lucene's vectorised code is on
            assertThat(server.logs())
                    .contains("Java vector incubator API enabled")
                    .doesNotContain("not readable");
            Map<Long, Known> known = new ConcurrentHashMap<>();
            Set<Long> inDoubt = ConcurrentHashMap.newKeySet();
            Set<Long> created = ConcurrentHashMap.newKeySet();
            AtomicInteger acked = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            for (int t = 0; t < 8; t++) {
                int thread = t;
                pool.submit(() -> writeUntilKilled(http, thread, known, inDoubt, created, acked));
            }
            while (acked.get() < 400) {
                Thread.sleep(10);
            }
            first.destroyForcibly().waitFor(); // SIGKILL: no shutdown hooks, no final commit of anything
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            System.out.printf(
                    "%s: %d writes acknowledged before kill -9 (%d products created), %d in doubt%n",
                    mode, acked.get(), created.size(), inDoubt.size());

            Process second = server.launch();
            try {
                server.awaitReady(second);
                List<String> wrong = new ArrayList<>();
                known.forEach((id, k) -> {
                    if (inDoubt.contains(id)) {
                        return;
                    }
                    Http.Response r = http.get("/api/v1/products/" + id);
                    if (k.exists()
                            ? r.status() != 200 || r.json().get("stock").asInt() != k.stock()
                            : r.status() != 404) {
                        wrong.add(id + " expected " + k + " got " + r.status() + " " + r.raw());
                    }
                });
                assertThat(wrong).as("acknowledged writes lost by kill -9").isEmpty();

                JsonNode rec = server.reconciliation(http);
                assertThat(rec.get("in_sync").asBoolean()).as(rec.toString()).isTrue();
                Set<Long> listed = listedIds(http);
                for (Map.Entry<Long, Known> e : known.entrySet()) {
                    if (!inDoubt.contains(e.getKey())) {
                        assertThat(listed.contains(e.getKey()))
                                .as("index lists %s", e.getKey())
                                .isEqualTo(e.getValue().exists());
                    }
                }
                assertThat(http.get("/health")
                                .json()
                                .get("index")
                                .get("rebuilds")
                                .asInt())
                        .as("recovered by catching up, not by a rebuild")
                        .isZero();

                for (int i = 0; i < 20; i++) {
                    Http.Response r = http.post("/api/v1/products", Bodies.product("AFTER-" + i, 2));
                    assertThat(r.status()).isEqualTo(201);
                    long id = Long.parseLong(r.json().get("_id").stringValue());
                    assertThat(created)
                            .as("id %s was already acknowledged before the crash", id)
                            .doesNotContain(id);
                }
            } finally {
                second.destroy();
                second.waitFor();
            }
        } finally {
            server.close();
        }
    }

    /** Creates, updates and deletes its own products until the server is gone, recording what was acknowledged. */
    private static void writeUntilKilled(
            Http http, int thread, Map<Long, Known> known, Set<Long> inDoubt, Set<Long> created, AtomicInteger acked) {
        Random r = new Random(thread);
        List<Long> mine = new ArrayList<>();
        for (int i = 0; ; i++) {
            int op = mine.isEmpty() ? 0 : r.nextInt(10);
            Long id = op < 6 ? null : mine.get(r.nextInt(mine.size()));
            if (id != null) {
                inDoubt.add(id);
            }
            try {
                if (op < 6) {
                    Http.Response res = http.post("/api/v1/products", Bodies.product("K-" + thread + "-" + i, 3));
                    if (res.status() == 201) {
                        long newId = Long.parseLong(res.json().get("_id").stringValue());
                        created.add(newId);
                        known.put(newId, new Known(true, 1));
                        mine.add(newId);
                    }
                } else if (op < 9) {
                    int stock = r.nextInt(1000);
                    if (http.put("/api/v1/products/" + id, "{\"stock\":" + stock + "}")
                                    .status()
                            == 200) {
                        known.put(id, new Known(true, stock));
                    }
                } else if (http.delete("/api/v1/products/" + id).status() == 204) {
                    known.put(id, new Known(false, null));
                    mine.remove(id);
                }
                if (id != null) {
                    inDoubt.remove(id);
                }
                acked.incrementAndGet();
            } catch (RuntimeException e) {
                return; // the server is gone; this write's outcome is unknown
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void killNineDuringASeedIsFinishedByTheNextStart(Mode mode) throws Exception {
        Server server = new Server(mode);
        try {
            Http http = server.http();
            Process seeding;
            if (mode == Mode.POSTGRES) {
                // a bulk load over a served catalogue
                Process first = server.launch();
                server.awaitReady(first);
                assertThat(http.post("/api/v1/products", Bodies.product("SEEDKILL-1", 1))
                                .status())
                        .isEqualTo(201);
                first.destroy();
                first.waitFor();
                seeding = server.launch("--seed=100000");
            } else {
                // the embedded default's very first start, seeding an empty database in the background
                seeding = server.launch(
                        "--gridserve.data.seed-on-empty=100000", "--gridserve.data.await-index-on-start=false");
            }
            long deadline = System.currentTimeMillis() + 120_000;
            while (server.seededRows(http) < 40_000 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            seeding.destroyForcibly().waitFor();

            Process second = server.launch("--gridserve.data.seed-on-empty=100000");
            try {
                server.awaitReady(second);
                long expected = mode == Mode.POSTGRES ? 100_001 : 100_000;
                assertThat(http.get("/api/v1/products?page_size=1")
                                .json()
                                .get("total")
                                .asLong())
                        .as("the interrupted seed was finished")
                        .isEqualTo(expected);
                JsonNode rec = server.reconciliation(http);
                assertThat(rec.get("in_sync").asBoolean()).as(rec.toString()).isTrue();
                assertThat(rec.get("database_count").asLong()).isEqualTo(expected);
                if (mode == Mode.POSTGRES) {
                    assertThat(http.get("/health")
                                    .json()
                                    .get("index")
                                    .get("rebuilds")
                                    .asInt())
                            .as("the served index took the loaded ranges from the change log")
                            .isZero();
                }
            } finally {
                second.destroy();
                second.waitFor();
            }
        } finally {
            server.close();
        }
    }

    private static Set<Long> listedIds(Http http) {
        Set<Long> ids = new HashSet<>();
        String url = "/api/v1/products?search=convergent&page_size=1000&sort_by=price&fields=_id";
        JsonNode page = http.get(url).json();
        while (true) {
            page.get("products")
                    .forEach(p -> ids.add(Long.parseLong(p.get("_id").stringValue())));
            if (page.get("next_cursor").isNull()) {
                return ids;
            }
            page = http.get(url + "&cursor=" + page.get("next_cursor").stringValue())
                    .json();
        }
    }

    /** One server's database (a PostgreSQL schema, or the embedded H2 under its data directory) and port. */
    static final class Server implements AutoCloseable {
        final Mode mode;
        final PostgresSchema pg;
        final Path dataDir;
        final int port;

        Server(Mode mode) throws IOException {
            this.mode = mode;
            this.pg = mode == Mode.POSTGRES ? new PostgresSchema() : null;
            this.dataDir = pg != null ? pg.dataDir : Files.createTempDirectory("gridserve-kill-");
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
        }

        Http http() {
            return new Http(port);
        }

        /** Starts the server; {@code extra} are --property=value arguments that replace the defaults. */
        Process launch(String... extra) throws IOException {
            Map<String, String> props = new java.util.LinkedHashMap<>();
            props.put("--server.port", Integer.toString(port));
            props.put("--management.server.port", "0");
            props.put("--gridserve.data.dir", dataDir.toString());
            props.put("--gridserve.data.seed-on-empty", "0");
            props.put("--gridserve.data.await-index-on-start", "true");
            props.put("--gridserve.changes.commit-interval", "50ms");
            props.put("--gridserve.security.admin-key", TestKeys.ADMIN);
            props.put("--gridserve.rate-limit.enabled", "false");
            if (pg != null) {
                props.put("--gridserve.database.url", pg.jdbcUrl());
                props.put("--gridserve.database.user", "postgres");
                props.put("--spring.flyway.schemas", pg.schema);
            }
            for (String kv : extra) {
                int eq = kv.indexOf('=');
                props.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(List.of(
                    java,
                    "--enable-native-access=ALL-UNNAMED",
                    "--add-modules",
                    "jdk.incubator.vector",
                    "-cp",
                    System.getProperty("java.class.path"),
                    GridserveApplication.class.getName()));
            props.forEach((k, v) -> cmd.add(k + "=" + v));
            return new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(dataDir.resolve("server-" + System.nanoTime() + ".log")
                            .toFile())
                    .start();
        }

        /** Everything the server processes started so far have logged. */
        String logs() throws IOException {
            StringBuilder sb = new StringBuilder();
            try (var files = java.nio.file.Files.list(dataDir)) {
                for (Path f : files.filter(f -> f.getFileName().toString().startsWith("server-"))
                        .sorted()
                        .toList()) {
                    sb.append(java.nio.file.Files.readString(f));
                }
            }
            return sb.toString();
        }

        void awaitReady(Process p) throws InterruptedException {
            Http http = http();
            for (int i = 0; i < 1800; i++) {
                assertThat(p.isAlive())
                        .as("server process exited; see logs in " + dataDir)
                        .isTrue();
                try {
                    if (http.get("/health/ready").status() == 200) {
                        return;
                    }
                } catch (RuntimeException e) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
            throw new AssertionError("server never became ready; see logs in " + dataDir);
        }

        /**
         * Rows a seed under way has loaded: counted in PostgreSQL (a --seed runs before the server listens), as
         * /health reports it for the embedded database (whose files only the server may open).
         */
        long seededRows(Http http) {
            if (pg != null) {
                try (java.sql.Connection c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), "postgres", "");
                        java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM products")) {
                    rs.next();
                    return rs.getLong(1);
                } catch (java.sql.SQLException e) {
                    return 0; // schema not created yet
                }
            }
            try {
                JsonNode seeding = http.get("/health").json().get("index").get("seeding");
                return seeding == null ? 0 : seeding.get("loaded").asLong();
            } catch (RuntimeException e) {
                return 0;
            }
        }

        /** The first reconciliation result with a verdict (it runs as soon as the index is ready). */
        JsonNode reconciliation(Http http) throws InterruptedException {
            JsonNode rec = null;
            for (int i = 0; i < 200; i++) {
                rec = http.get("/health").json().get("index").get("reconciliation");
                if (rec != null && !rec.isNull() && rec.get("in_sync").isBoolean()) {
                    return rec;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no reconciliation verdict: " + rec);
        }

        @Override
        public void close() {
            if (pg != null) {
                pg.drop();
            }
        }
    }
}
