package dev.gridserve.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Apps;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * CACHE_MAX_STALENESS=2s over the real PostgreSQL and Redis, warming off (so nothing but the clients computes
 * answers): a reader may get the previous version's answer, marked STALE with an Age, for at most that long
 * after the version was last seen current; the client that wrote always reads its write.
 */
class StalenessTest {
    static final PostgresSchema PG = new PostgresSchema();
    static ConfigurableApplicationContext app;
    static Http writer;
    static Http reader;

    @BeforeAll
    static void start() {
        app = Apps.start(Apps.over(
                PG,
                PG.dataDir,
                "gridserve.cache.redis-url=redis://127.0.0.1:6379",
                "gridserve.cache.namespace=staleness-" + System.nanoTime(),
                "gridserve.cache.max-staleness=2s",
                "gridserve.cache.warming.enabled=false"));
        writer = Apps.http(app);
        reader = writer.anonymous();
    }

    @AfterAll
    static void stop() {
        app.close();
        PG.drop();
    }

    static void create(String sku, String category) {
        Http.Response r = writer.post("/api/v1/products", """
                {"name":"Stale %s","description":"d","price":5,"category":"%s","stock":2,"sku":"%s"}""".formatted(sku, category, sku));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
    }

    static long total(Http.Response r) {
        return r.json().get("total").asLong();
    }

    @Test
    void aReaderGetsThePreviousAnswerMarkedStaleThenTheFreshOne() throws Exception {
        String q = "/api/v1/products?category=Garden&sort_by=price";
        create("GARDEN-1", "Garden");
        Http.Response first = reader.get(q);
        assertThat(first.header("X-Cache")).isEqualTo("MISS");
        assertThat(total(first)).isEqualTo(1);

        create("GARDEN-2", "Garden");
        Http.Response stale = reader.get(q);
        assertThat(stale.header("X-Cache")).isEqualTo("STALE");
        assertThat(stale.raw()).isEqualTo(first.raw());
        assertThat(stale.header("ETag")).isEqualTo(first.header("ETag")); // the tag of what it holds
        assertThat(Long.parseLong(stale.header("Age"))).isBetween(0L, 2L);

        // the stale answer had one fresh answer computed behind it; it replaces the stale one once ready
        Http.Response fresh = stale;
        for (int i = 0; i < 100 && "STALE".equals(fresh.header("X-Cache")); i++) {
            Thread.sleep(20);
            fresh = reader.get(q);
        }
        assertThat(fresh.header("X-Cache")).isEqualTo("HIT-L1");
        assertThat(fresh.header("Age")).isNull();
        assertThat(total(fresh)).isEqualTo(2);
    }

    @Test
    void theClientThatWroteReadsItsWrite() {
        String q = "/api/v1/products?category=Books&sort_by=name";
        create("BOOK-1", "Books");
        assertThat(total(writer.get(q))).isEqualTo(1);
        reader.get(q);
        create("BOOK-2", "Books");
        Http.Response own = writer.get(q);
        assertThat(own.header("X-Cache")).isNotEqualTo("STALE");
        assertThat(total(own)).isEqualTo(2);
    }

    @Test
    void neverOlderThanTheAllowance() throws Exception {
        String q = "/api/v1/products?category=Toys&sort_by=stock";
        create("TOY-1", "Toys");
        assertThat(total(reader.get(q))).isEqualTo(1);
        create("TOY-2", "Toys");
        Thread.sleep(2_300); // the answer above was last seen current before the write: now too old to stand in
        Http.Response r = reader.get(q);
        assertThat(r.header("X-Cache")).isEqualTo("MISS");
        assertThat(total(r)).isEqualTo(2);
    }
}
