package dev.gridserve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.changes.ChangeFollower;
import dev.gridserve.changes.Reconciler;
import dev.gridserve.support.Bodies;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The index converges on the database under concurrent writers and out-of-order commits. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsistencyTest {
    static final PostgresSchema PG = new PostgresSchema();

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        PG.register(r);
        // Before change-log holes were settled by who is still running, a hole was given up after this long
        // (the setting is gone now): the late-commit test below lost its change with it.
        r.add("gridserve.changes.gap-timeout", () -> "1s");
    }

    @AfterAll
    static void drop() {
        PG.drop();
    }

    @LocalServerPort
    int port;

    @Autowired
    Reconciler reconciler;

    @Autowired
    ChangeFollower follower;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    @Test
    void concurrentWritersConvergeAndReconcile() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(http.post("/api/v1/products", Bodies.product("CONV-" + i, 10 + i))
                    .json()
                    .get("_id")
                    .stringValue());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                Random r = new Random(thread);
                for (int i = 0; i < 40; i++) {
                    String id = ids.get(r.nextInt(ids.size()));
                    switch (r.nextInt(4)) {
                        case 0 -> http.delete("/api/v1/products/" + id);
                        case 1 ->
                            http.post("/api/v1/products", Bodies.product("T" + thread + "-" + i, 1 + r.nextInt(99)));
                        default -> http.put("/api/v1/products/" + id, "{\"stock\": " + r.nextInt(1000) + "}");
                    }
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        Reconciler.Result result = reconciler.check();
        assertThat(result.inSync()).as(result.toString()).isTrue();
        // and row by row: every product's stock as listed equals the database's
        Map<String, Integer> db = new HashMap<>();
        try (Connection c = DriverManager.getConnection(PG.jdbcUrl(), "postgres", "");
                ResultSet rs = c.createStatement().executeQuery("SELECT id, stock FROM products")) {
            while (rs.next()) {
                db.put(Long.toString(rs.getLong(1)), rs.getInt(2));
            }
        }
        Map<String, Integer> listed = new HashMap<>();
        http.get("/api/v1/products?page_size=1000")
                .json()
                .get("products")
                .forEach(p ->
                        listed.put(p.get("_id").stringValue(), p.get("stock").asInt()));
        assertThat(listed).isEqualTo(db);
    }

    @Test
    void aChangeCommittedAfterALaterOneIsNotSkipped() throws Exception {
        try (Connection slow = DriverManager.getConnection(PG.jdbcUrl(), "postgres", "");
                Connection fast = DriverManager.getConnection(PG.jdbcUrl(), "postgres", "")) {
            slow.setAutoCommit(false);
            fast.setAutoCommit(false);
            long slowId = insertWithChange(slow, "OOO-SLOW"); // takes the lower sequence number...
            long fastId = insertWithChange(fast, "OOO-FAST");
            fast.commit(); // ...but commits second
            awaitListed(fastId);
            slow.commit();
            awaitListed(slowId);
        }
        assertThat(reconciler.check().inSync()).isTrue();
    }

    @Test
    void aChangeThatCommitsSecondsAfterLaterOnesIsAppliedWithoutARebuild() throws Exception {
        int builds = follower.rebuilds();
        long slowId;
        try (Connection slow = DriverManager.getConnection(PG.jdbcUrl(), "postgres", "")) {
            slow.setAutoCommit(false);
            slowId = insertWithChange(slow, "LATE-SLOW"); // holds the lowest number, like a write stuck on a lock
            for (int i = 0; i < 5; i++) {
                assertThat(http.post("/api/v1/products", Bodies.product("LATE-FAST-" + i, 3))
                                .status())
                        .isEqualTo(201);
            }
            Thread.sleep(3000); // three times what used to be the gap timeout
            slow.commit();
        }
        awaitListed(slowId);
        assertThat(follower.rebuilds())
                .as("applied from the change log, not healed by a rebuild")
                .isEqualTo(builds);
        assertThat(reconciler.check().inSync()).isTrue();
    }

    @Test
    void aChangeWhoseTransactionIdIsNewerThanEveryFinishedOneIsNotSkipped() throws Exception {
        // Transaction ids and change-log numbers are taken in different orders: here the writer holding the
        // missing number took its id after the writer that reveals the hole. Until the later one commits, no
        // finished transaction has an id as high as the hole holder's, so PostgreSQL's snapshot does not list
        // it among those in progress (its xmax is the newest finished id + 1). A follower that took that list
        // for every running transaction gave the hole up and lost the change (found under write load by the
        // reconciler, which healed it up to a minute later).
        try (Connection first = DriverManager.getConnection(PG.jdbcUrl(), "postgres", "");
                Connection second = DriverManager.getConnection(PG.jdbcUrl(), "postgres", "")) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            first.createStatement().execute("SELECT pg_current_xact_id()");
            long holderId = insertWithChange(second, "XID-HOLDER"); // newer id, lower change number
            long laterId = insertWithChange(first, "XID-LATER");
            first.commit();
            awaitListed(laterId);
            Thread.sleep(1000); // several polls with the hole open
            second.commit();
            awaitListed(holderId);
        }
        assertThat(reconciler.check().inSync()).isTrue();
    }

    private void awaitListed(long id) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline) {
            if (http.get("/api/v1/products?page_size=1000&fields=_id").raw().contains("\"" + id + "\"")) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("product " + id + " never became searchable");
    }

    /** Writes a product and its change-log entry as any writer must: transaction id first, then the number. */
    private static long insertWithChange(Connection c, String sku) throws Exception {
        c.createStatement().execute("SELECT pg_current_xact_id()");
        long id = next(c, "product_id_seq");
        long seq = next(c, "change_seq");
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO products (id, name, description, price,"
                + " category, stock, sku, sku_key, tags, created_at, updated_at, version)"
                + " VALUES (?, ?, 'd', 1.00, 'c', 1, ?, ?, '', ?, ?, ?)")) {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            ps.setLong(1, id);
            ps.setString(2, sku);
            ps.setString(3, sku);
            ps.setString(4, sku.toLowerCase());
            ps.setObject(5, now);
            ps.setObject(6, now);
            ps.setLong(7, seq);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO product_changes (seq, product_id, op, changed_at) VALUES (?, ?, 'U', ?)")) {
            ps.setLong(1, seq);
            ps.setLong(2, id);
            ps.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
            ps.executeUpdate();
        }
        return id;
    }

    private static long next(Connection c, String sequence) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT nextval('" + sequence + "')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void healthShowsReconciliationAfterACheck() {
        reconciler.check();
        JsonNode rec = http.get("/health").json().get("index").get("reconciliation");
        assertThat(rec.get("in_sync").asBoolean()).isTrue();
        assertThat(rec.get("database_count").asLong())
                .isEqualTo(rec.get("index_count").asLong());
    }
}
