package dev.gridserve.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.changes.ChangeFollower;
import dev.gridserve.changes.ChangeLog;
import dev.gridserve.changes.Reconciler;
import dev.gridserve.changes.VersionPublisher;
import dev.gridserve.search.TableIndex;
import dev.gridserve.support.Apps;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Two instances over one PostgreSQL schema sharing the real Redis on 127.0.0.1:6379, and a third whose Redis
 * is a dead port.
 */
class CacheTest {
    static final PostgresSchema PG = new PostgresSchema();
    static final String REDIS = "gridserve.cache.redis-url=redis://127.0.0.1:6379";
    static ConfigurableApplicationContext a;
    static ConfigurableApplicationContext b;
    static Http httpA;
    static Http httpB;

    @BeforeAll
    static void start() throws Exception {
        a = Apps.start(Apps.over(PG, PG.dataDir, REDIS));
        b = Apps.start(Apps.over(PG, Files.createTempDirectory("gridserve-b-"), REDIS));
        httpA = Apps.http(a);
        httpB = Apps.http(b);
        for (int i = 0; i < 30; i++) {
            create(httpA, "SEED-" + i, i % 2 == 0 ? "Toys" : "Books", "[\"red\",\"blue\"]");
        }
        caughtUp();
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
        PG.drop();
    }

    static String create(Http http, String sku, String category, String tags) {
        Http.Response r = http.post("/api/v1/products", """
                {"name":"Cached %s","description":"d","price":5,"category":"%s","stock":2,"sku":"%s","tags":%s}""".formatted(sku, category, sku, tags));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.json().get("_id").stringValue();
    }

    /** Both instances have applied everything in the change log (so they answer at the same version). */
    @BeforeEach
    void bothCaughtUp() {
        caughtUp();
    }

    static void caughtUp() {
        long max = a.getBean(ChangeLog.class).maxSeq();
        assertThat(a.getBean(ChangeFollower.class).awaitApplied(max)).isTrue();
        assertThat(b.getBean(ChangeFollower.class).awaitApplied(max)).isTrue();
    }

    @Test
    void missThenL1ThenSharedL2() {
        String q = "/api/v1/products?search=cached&sort_by=price&page_size=7";
        assertThat(httpA.get(q).header("X-Cache")).isEqualTo("MISS");
        Http.Response again = httpA.get(q);
        assertThat(again.header("X-Cache")).isEqualTo("HIT-L1");
        Http.Response fromB = httpB.get(q);
        assertThat(fromB.header("X-Cache")).isEqualTo("HIT-L2");
        assertThat(fromB.raw()).isEqualTo(again.raw());
        assertThat(httpB.get(q).header("X-Cache")).isEqualTo("HIT-L1");
        a.getBean(ResponseCache.class).clearLocal();
        assertThat(httpA.get(q).header("X-Cache")).isEqualTo("HIT-L2");
    }

    @Test
    void equivalentRequestsShareOneEntry() {
        Http.Response first = httpA.get("/api/v1/products?category=Toys&category=Books&tags=red,BLUE&page=1");
        assertThat(first.header("X-Cache")).isEqualTo("MISS");
        Http.Response same = httpA.get("/api/v1/products?tags=blue&tags=Red&category=books&category=TOYS&_=1");
        assertThat(same.header("X-Cache")).isEqualTo("HIT-L1");
        assertThat(same.raw()).isEqualTo(first.raw());
        assertThat(httpA.get("/api/v1/products?category=Toys&page_size=49").header("X-Cache"))
                .isEqualTo("MISS");
    }

    @Test
    void aWriteIsNeverHiddenByACachedAnswerOnEitherInstance() {
        String list = "/api/v1/products?category=Toys&page_size=100";
        String stats = "/api/v1/products/stats/summary?category=Toys";
        long before = httpA.get(list).json().get("total").asLong();
        long stockBefore = httpA.get(stats).json().get("total_stock").asLong();
        httpB.get(list);
        httpB.get(stats);
        assertThat(httpA.get(list).header("X-Cache")).isEqualTo("HIT-L1");

        String id = create(httpA, "NEW-TOY", "Toys", "[]");
        Http.Response afterA = httpA.get(list);
        assertThat(afterA.json().get("total").asLong()).isEqualTo(before + 1);
        assertThat(httpA.get(stats).json().get("total_stock").asLong()).isEqualTo(stockBefore + 2);
        caughtUp();
        assertThat(httpB.get(list).json().get("total").asLong()).isEqualTo(before + 1);
        assertThat(httpB.get(stats).json().get("total_stock").asLong()).isEqualTo(stockBefore + 2);

        // single products too: an update through B is seen through A
        assertThat(httpA.get("/api/v1/products/" + id).json().get("stock").asInt())
                .isEqualTo(2);
        httpB.put("/api/v1/products/" + id, "{\"stock\": 7}");
        caughtUp();
        assertThat(httpA.get("/api/v1/products/" + id).json().get("stock").asInt())
                .isEqualTo(7);
        httpA.delete("/api/v1/products/" + id);
        caughtUp();
        assertThat(httpB.get("/api/v1/products/" + id).status()).isEqualTo(404);
        assertThat(httpB.get(list).json().get("total").asLong()).isEqualTo(before);
    }

    @Test
    void etagGivesNotModifiedUntilTheDataChanges() {
        String q = "/api/v1/products?category=Books";
        Http.Response first = httpA.get(q);
        String etag = first.header("ETag");
        assertThat(etag).isNotBlank();
        Http.Response cond = httpA.send(HttpRequest.newBuilder(httpA.uri(q)).header("If-None-Match", etag));
        assertThat(cond.status()).isEqualTo(304);
        assertThat(cond.raw()).isEmpty();
        create(httpA, "ETAG-1", "Books", "[]");
        Http.Response changed = httpA.send(HttpRequest.newBuilder(httpA.uri(q)).header("If-None-Match", etag));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.header("ETag")).isNotEqualTo(etag);
    }

    @Test
    void answersCachedFromADivergedIndexAreRetiredOnEveryInstanceOnceItIsHealed() throws Exception {
        String q = "/api/v1/products?category=Books&page_size=100&sort_by=price";
        JsonNode right = httpB.get("/api/v1/products?category=Books&page_size=100&sort_by=stock")
                .json();
        long total = right.get("total").asLong();
        long victim = Long.parseLong(right.get("products").get(0).get("_id").stringValue());
        // a fault only A has: its index loses a product; A then answers (and caches, in the shared Redis) wrongly
        a.getBean(TableIndex.class).apply(List.of(), List.of(victim));
        Thread.sleep(500); // the follower labels the new reader with the unchanged data version
        assertThat(httpA.get(q).json().get("total").asLong()).isEqualTo(total - 1);
        assertThat(httpB.get(q).header("X-Cache"))
                .as("B takes A's answer from Redis")
                .isEqualTo("HIT-L2");

        Reconciler.Result found = a.getBean(Reconciler.class).check();
        assertThat(found.inSync()).isFalse();
        assertThat(found.repaired()).isEqualTo(1);
        for (int i = 0;
                i < 100
                        && !Boolean.TRUE.equals(
                                a.getBean(Reconciler.class).check().inSync());
                i++) {
            Thread.sleep(50);
        }
        caughtUp();
        assertThat(httpA.get(q).json().get("total").asLong()).isEqualTo(total);
        assertThat(httpB.get(q).json().get("total").asLong())
                .as("B no longer serves what A cached while diverged")
                .isEqualTo(total);
    }

    @Test
    void aWriteWhoseIndexUpdateIsLateIsNeverHiddenByACachedCopy() throws Exception {
        try (ConfigurableApplicationContext c = Apps.start(Apps.over(
                PG,
                Files.createTempDirectory("gridserve-late-"),
                REDIS,
                "gridserve.changes.write-visibility-timeout=300ms"))) {
            Http http = Apps.http(c);
            String id = create(http, "LATE-GET", "Toys", "[]");
            http.get("/api/v1/products/" + id);
            assertThat(http.get("/api/v1/products/" + id).header("X-Cache")).isEqualTo("HIT-L1");
            // the follower stops right after the next version it publishes (one that changes no document)
            AtomicBoolean armed = new AtomicBoolean(true);
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            c.getBean(VersionPublisher.class).subscribe(v -> {
                if (armed.get()) {
                    held.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            ChangeLog changes = c.getBean(ChangeLog.class);
            c.getBean(TransactionTemplate.class).executeWithoutResult(s -> changes.appendEpoch(changes.nextSeq()));
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            try {
                Http.Response put = http.put("/api/v1/products/" + id, "{\"stock\": 9}");
                assertThat(put.status()).isEqualTo(200); // answered although this instance has not applied it
                Http.Response got = http.get("/api/v1/products/" + id);
                assertThat(got.json().get("stock").asInt())
                        .as("never the copy cached before the write")
                        .isEqualTo(9);
            } finally {
                armed.set(false);
                release.countDown();
            }
        }
    }

    @Test
    void deadRedisNeverFailsARequest() throws Exception {
        try (ConfigurableApplicationContext c = Apps.start(Apps.over(
                PG,
                Files.createTempDirectory("gridserve-c-"),
                "gridserve.cache.redis-url=redis://127.0.0.1:1",
                "gridserve.cache.breaker-failures=3"))) {
            Http http = Apps.http(c);
            long expected = httpA.get("/api/v1/products?category=Toys")
                    .json()
                    .get("total")
                    .asLong();
            for (int i = 0; i < 40; i++) {
                Http.Response r = http.get("/api/v1/products?category=Toys&page_size=" + (1 + i % 5));
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.json().get("total").asLong()).isEqualTo(expected);
            }
            assertThat(http.get("/api/v1/products?category=Toys&page_size=1").header("X-Cache"))
                    .isEqualTo("HIT-L1");
            assertThat(http.post("/api/v1/products", """
                            {"name":"n","description":"d","price":1,"category":"c","stock":1,"sku":"DEAD-1"}""").status()).isEqualTo(201);
            assertThat(http.get("/health").json().get("cache").stringValue()).isEqualTo("redis-unavailable");
        }
    }
}
