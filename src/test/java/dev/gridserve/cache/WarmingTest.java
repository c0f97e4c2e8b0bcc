package dev.gridserve.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.changes.ChangeFollower;
import dev.gridserve.changes.ChangeLog;
import dev.gridserve.support.Apps;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances over one PostgreSQL schema and the real Redis, each with its own Redis namespace (so neither
 * answers from the other's entries): one warms its cache (the default), the other does not. After a write, the
 * read asked most is a hit on the warming one although nobody asked it since, and a miss on the other.
 */
class WarmingTest {
    static final PostgresSchema PG = new PostgresSchema();
    static ConfigurableApplicationContext warm;
    static ConfigurableApplicationContext cold;
    static Http warmHttp;
    static Http coldHttp;

    @BeforeAll
    static void start() throws Exception {
        String redis = "gridserve.cache.redis-url=redis://127.0.0.1:6379";
        warm = Apps.start(Apps.over(PG, PG.dataDir, redis, "gridserve.cache.namespace=warm-" + System.nanoTime()));
        cold = Apps.start(Apps.over(
                PG,
                Files.createTempDirectory("gridserve-cold-"),
                redis,
                "gridserve.cache.namespace=cold-" + System.nanoTime(),
                "gridserve.cache.warming.enabled=false"));
        warmHttp = Apps.http(warm).anonymous();
        coldHttp = Apps.http(cold).anonymous();
    }

    @AfterAll
    static void stop() {
        cold.close();
        warm.close();
        PG.drop();
    }

    static double warmed(String result) {
        var c = warm.getBean(MeterRegistry.class)
                .find("gridserve.cache.warming")
                .tag("result", result)
                .counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void afterAWriteTheHottestReadIsAHitWithoutAnyoneAskingIt() throws Exception {
        String hot = "/api/v1/products?category=Sports&sort_by=price&page_size=20";
        for (int i = 0; i < 5; i++) {
            warmHttp.get(hot);
            coldHttp.get(hot);
        }
        assertThat(warmHttp.get(hot).header("X-Cache")).isEqualTo("HIT-L1");
        double before = warmed("computed");

        Http.Response created = Apps.http(warm).post("/api/v1/products", """
                {"name":"Warm ball","description":"d","price":7,"category":"Sports","stock":3,"sku":"WARM-1"}""");
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        long seq = warm.getBean(ChangeLog.class).maxSeq();
        assertThat(cold.getBean(ChangeFollower.class).awaitApplied(seq)).isTrue();
        for (int i = 0; i < 500 && warmed("computed") <= before; i++) {
            Thread.sleep(10);
        }
        assertThat(warmed("computed")).isGreaterThan(before);

        Http.Response fromWarm = warmHttp.get(hot);
        assertThat(fromWarm.header("X-Cache")).isEqualTo("HIT-L1");
        assertThat(fromWarm.json().get("total").asLong()).isEqualTo(1); // the new version's answer
        Http.Response fromCold = coldHttp.get(hot);
        assertThat(fromCold.header("X-Cache")).isEqualTo("MISS");
        assertThat(fromCold.raw()).isEqualTo(fromWarm.raw());
    }

    @Test
    void aRestartedInstanceAsksTheHottestReadsOfItsLastRunOnceReady() throws Exception {
        PostgresSchema pg = new PostgresSchema();
        String[] props = Apps.over(
                pg,
                pg.dataDir,
                "gridserve.cache.redis-url=redis://127.0.0.1:6379",
                "gridserve.cache.namespace=restart-" + System.nanoTime());
        String hot = "/api/v1/products?category=Books&sort_by=rating&page_size=5";
        ConfigurableApplicationContext first = Apps.start(props);
        try {
            for (int i = 0; i < 3; i++) {
                Apps.http(first).anonymous().get(hot);
            }
        } finally {
            first.close(); // saves the hottest reads beside the index
        }
        ConfigurableApplicationContext second = Apps.start(props);
        try {
            MeterRegistry meters = second.getBean(MeterRegistry.class);
            // from Redis (the first run's answer at the same version) or computed: either way before anyone asks
            java.util.function.DoubleSupplier warmed =
                    () -> meters.counter("gridserve.cache.warming", "result", "computed")
                                    .count()
                            + meters.counter("gridserve.cache.warming", "result", "cached")
                                    .count();
            for (int i = 0; i < 500 && warmed.getAsDouble() < 1; i++) {
                Thread.sleep(10);
            }
            assertThat(warmed.getAsDouble()).isGreaterThanOrEqualTo(1);
            assertThat(Apps.http(second).anonymous().get(hot).header("X-Cache")).isEqualTo("HIT-L1");
            assertThat(Apps.http(second).anonymous().get(hot + "&page=2").header("X-Cache"))
                    .isEqualTo("MISS");
        } finally {
            second.close();
            pg.drop();
        }
    }
}
