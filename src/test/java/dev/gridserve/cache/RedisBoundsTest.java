package dev.gridserve.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Apps;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A flood of distinct queries (64 clients of distinct large pages put 1.6 GB into Redis before) keeps what this
 * instance holds in the real Redis under its budget, and pages over the entry cap never go there.
 */
class RedisBoundsTest {
    static final long BUDGET = 300_000;
    static final long MAX_ENTRY = 60_000;

    @Test
    void distinctQueriesStayWithinTheBudgetAndLargePagesStayLocal() throws Exception {
        PostgresSchema pg = new PostgresSchema();
        String namespace = "it-" + UUID.randomUUID();
        try (ConfigurableApplicationContext ctx = Apps.start(Apps.over(
                        pg,
                        pg.dataDir,
                        "seed=3000",
                        "gridserve.cache.redis-url=redis://127.0.0.1:6379",
                        "gridserve.cache.namespace=" + namespace,
                        "gridserve.cache.l2-budget-bytes=" + BUDGET,
                        "gridserve.cache.l2-max-entry-bytes=" + MAX_ENTRY));
                RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
                StatefulRedisConnection<String, String> redis = client.connect()) {
            Http http = Apps.http(ctx);
            long asked = 0;
            for (int i = 0; i < 200; i++) {
                Http.Response r = http.get(
                        "/api/v1/products?page_size=80&sort_by=price&min_price=" + (i % 100) + "." + (i / 100) + "1");
                assertThat(r.status()).isEqualTo(200);
                asked += r.raw().length();
            }
            Http.Response big = http.get("/api/v1/products?page_size=1000");
            assertThat(big.raw().length()).isGreaterThan((int) MAX_ENTRY);
            assertThat(http.get("/api/v1/products?page_size=1000").header("X-Cache"))
                    .as("still cached in process")
                    .isEqualTo("HIT-L1");
            Thread.sleep(300); // Redis writes are not awaited

            RedisCommands<String, String> cmd = redis.sync();
            long keys = 0;
            long bytes = 0;
            long largest = 0;
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = cmd.scan(
                        cursor, ScanArgs.Builder.matches(namespace + ":*").limit(500));
                for (String key : page.getKeys()) {
                    long len = cmd.strlen(key);
                    keys++;
                    bytes += len;
                    largest = Math.max(largest, len);
                }
                cursor = page;
            } while (!cursor.isFinished());
            System.out.printf(
                    "asked to cache %d bytes in %d answers; Redis holds %d bytes in %d keys (budget %d)%n",
                    asked, 201, bytes, keys, BUDGET);
            assertThat(asked).as("the flood is far over the budget").isGreaterThan(5 * BUDGET);
            assertThat(keys).as("something was shared").isPositive();
            assertThat(bytes).isLessThanOrEqualTo(BUDGET);
            assertThat(largest).isLessThanOrEqualTo(MAX_ENTRY);
        } finally {
            pg.drop();
        }
    }
}
