package dev.gridserve.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Concurrent misses of one key are computed once; the others get that answer, or that failure. */
class SingleFlightTest {
    final ResponseCache cache = new ResponseCache(
            new CacheProperties(
                    true, Duration.ofSeconds(60), 1 << 20, null, null, 0, null, 0, null, 0, null, 0, 0, null, null),
            new SimpleMeterRegistry(),
            ObservationRegistry.NOOP);

    @Test
    void sixteenConcurrentMissesComputeOnce() throws Exception {
        AtomicInteger computed = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<ResponseCache.Entry>> answers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            answers.add(pool.submit(() -> cache.get("list", "the same key", () -> {
                computed.incrementAndGet();
                try {
                    go.await(10, TimeUnit.SECONDS); // hold the first computation while the rest arrive
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "body".getBytes(StandardCharsets.UTF_8);
            })));
        }
        Thread.sleep(300);
        go.countDown();
        for (Future<ResponseCache.Entry> f : answers) {
            assertThat(new String(f.get(10, TimeUnit.SECONDS).body().plain(), StandardCharsets.UTF_8))
                    .isEqualTo("body");
        }
        pool.shutdown();
        assertThat(computed.get()).isEqualTo(1);
    }

    @Test
    void aFailureReachesEveryWaiterAsItWasThrown() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(pool.submit(() -> cache.get("get", "missing", () -> {
                try {
                    go.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalArgumentException("not found");
            })));
        }
        Thread.sleep(300);
        go.countDown();
        for (Future<?> f : calls) {
            try {
                f.get(10, TimeUnit.SECONDS);
                throw new AssertionError("expected the computation's failure");
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause())
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("not found");
            }
        }
        pool.shutdown();
    }
}
