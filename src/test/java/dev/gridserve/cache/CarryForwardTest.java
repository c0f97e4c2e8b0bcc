package dev.gridserve.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.changes.ChangeFollower;
import dev.gridserve.changes.ChangeLog;
import dev.gridserve.support.Apps;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Answers carried forward to a new data version are the answers of that version: after every one of a run of
 * random writes (stock, price, category, name changes, new and deleted rows), each of a set of lists and stats,
 * asked of an instance that caches (and carries answers across versions), equals the same request asked of an
 * instance over the same PostgreSQL schema with no cache at all.
 */
class CarryForwardTest {
    static final PostgresSchema PG = new PostgresSchema();
    static final String[] CATEGORIES = {"Books", "Toys", "Garden", "Sports"};
    static ConfigurableApplicationContext cached;
    static ConfigurableApplicationContext oracle;
    static Http cachedHttp;
    static Http oracleHttp;

    @BeforeAll
    static void start() throws Exception {
        cached = Apps.start(Apps.over(
                PG,
                PG.dataDir,
                "gridserve.cache.redis-url=redis://127.0.0.1:6379",
                "gridserve.cache.namespace=carry-" + System.nanoTime()));
        oracle = Apps.start(
                Apps.over(PG, Files.createTempDirectory("gridserve-oracle-"), "gridserve.cache.enabled=false"));
        cachedHttp = Apps.http(cached);
        oracleHttp = Apps.http(oracle).anonymous();
    }

    @AfterAll
    static void stop() {
        oracle.close();
        cached.close();
        PG.drop();
    }

    static String product(Random rnd, int n) {
        return """
                {"name":"%s item %d","description":"d","price":%d,"category":"%s","stock":%d,"sku":"CF-%d","tags":["%s"]}""".formatted(
                        rnd.nextBoolean() ? "Red" : "Blue",
                        n,
                        1 + rnd.nextInt(100),
                        CATEGORIES[rnd.nextInt(CATEGORIES.length)],
                        rnd.nextInt(50),
                        n,
                        rnd.nextBoolean() ? "sale" : "new");
    }

    static void bothApplied() {
        long max = cached.getBean(ChangeLog.class).maxSeq();
        assertThat(cached.getBean(ChangeFollower.class).awaitApplied(max)).isTrue();
        assertThat(oracle.getBean(ChangeFollower.class).awaitApplied(max)).isTrue();
    }

    double carried() {
        var c = cached.getBean(MeterRegistry.class)
                .find("gridserve.cache.warming")
                .tag("result", "carried")
                .counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void everyAnswerAfterEveryWriteIsTheAnswerOfAnInstanceWithoutCache() throws Exception {
        Random rnd = new Random(42);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Http.Response r = cachedHttp.post("/api/v1/products", product(rnd, i));
            assertThat(r.status()).as(r.raw()).isEqualTo(201);
            ids.add(r.json().get("_id").asString());
        }
        List<String> queries = List.of(
                "/api/v1/products?category=Books&sort_by=price",
                "/api/v1/products?category=Toys&category=Garden&sort_by=stock&sort_order=desc&page_size=5",
                "/api/v1/products?min_price=20&max_price=60&sort_by=name",
                "/api/v1/products?search=red&facets=category,tags",
                "/api/v1/products?search=item+1&sort_by=price&page_size=3&page=2",
                "/api/v1/products?tags=sale&min_stock=10",
                "/api/v1/products?category=Sports&facets=tags&page_size=2",
                "/api/v1/products?page_size=7",
                "/api/v1/products/stats/summary?category=Books",
                "/api/v1/products/stats/summary?min_price=50");
        int hitsAfterWrites = 0;
        int next = 40;
        for (int step = 0; step < 30; step++) {
            bothApplied();
            for (String q : queries) {
                cachedHttp.anonymous().get(q);
            }
            String id = ids.get(rnd.nextInt(ids.size()));
            Http.Response w = switch (rnd.nextInt(6)) {
                case 0, 1 -> cachedHttp.put("/api/v1/products/" + id, "{\"stock\":" + rnd.nextInt(50) + "}");
                case 2 -> cachedHttp.put("/api/v1/products/" + id, "{\"price\":" + (1 + rnd.nextInt(100)) + "}");
                case 3 ->
                    cachedHttp.put(
                            "/api/v1/products/" + id,
                            "{\"category\":\"" + CATEGORIES[rnd.nextInt(CATEGORIES.length)] + "\"}");
                case 4 -> cachedHttp.post("/api/v1/products", product(rnd, next++));
                default -> cachedHttp.delete("/api/v1/products/" + id);
            };
            assertThat(w.status()).as(w.raw()).isBetween(200, 204);
            if (w.status() == 201) {
                ids.add(w.json().get("_id").asString());
            } else if (w.status() == 204) {
                ids.remove(id);
            }
            bothApplied();
            Thread.sleep(150); // the warmer carries answers forward on its own thread
            for (String q : queries) {
                Http.Response mine = cachedHttp.anonymous().get(q);
                assertThat(mine.raw())
                        .as(q + " after step " + step)
                        .isEqualTo(oracleHttp.get(q).raw());
                if (mine.header("X-Cache").startsWith("HIT")) {
                    hitsAfterWrites++;
                }
            }
        }
        assertThat(carried()).isGreaterThan(0);
        assertThat(hitsAfterWrites).isGreaterThan(0);
    }
}
