package dev.gridserve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.changes.ChangeFollower;
import dev.gridserve.changes.ChangeLog;
import dev.gridserve.changes.Reconciler;
import dev.gridserve.support.Apps;
import dev.gridserve.support.Bodies;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances over one PostgreSQL, each with its own index, writing concurrently: both converge on the
 * database, nothing is lost, and a write on one is announced (LISTEN/NOTIFY) to the other long before its poll.
 */
class TwoInstancesTest {
    @Test
    void concurrentWritersOnBothInstancesConverge() throws Exception {
        PostgresSchema pg = new PostgresSchema();
        String slowPoll = "gridserve.changes.poll-interval=5s";
        try (ConfigurableApplicationContext a = Apps.start(Apps.over(pg, pg.dataDir, slowPoll));
                ConfigurableApplicationContext b =
                        Apps.start(Apps.over(pg, Files.createTempDirectory("gridserve-b-"), slowPoll))) {
            Http httpA = Apps.http(a);
            Http httpB = Apps.http(b);

            // lag: a write through A becomes listable through B
            List<Double> lagMs = lags(httpA, httpB, "LAG-", 20);
            System.out.printf(
                    "write on A -> listed on B: p50 %.1f ms, max %.1f ms (poll interval 5 s)%n",
                    lagMs.get(10), lagMs.get(19));
            assertThat(lagMs.get(10)).as("woken by NOTIFY, not by the 5 s poll").isLessThan(2500);

            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<List<String>>> acked = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Http http = t % 2 == 0 ? httpA : httpB;
                int thread = t;
                acked.add(pool.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < 25; i++) {
                        Http.Response r = http.post("/api/v1/products", Bodies.product("TW-" + thread + "-" + i, 7));
                        if (r.status() == 201) {
                            ids.add(r.json().get("_id").stringValue());
                        }
                        if (i % 3 == 0 && !ids.isEmpty()) {
                            http.put("/api/v1/products/" + ids.get(0), "{\"stock\": " + i + "}");
                        }
                    }
                    return ids;
                }));
            }
            // lag again, while the eight writers run (measured, printed; only convergence is asserted)
            List<Double> loadedLag = lags(httpA, httpB, "LOADLAG-", 30);
            System.out.printf(
                    "under write load: write on A -> listed on B p50 %.1f ms, p99 %.1f ms%n",
                    loadedLag.get(15), loadedLag.get(29));
            List<String> all = new ArrayList<>();
            for (Future<List<String>> f : acked) {
                all.addAll(f.get());
            }
            pool.shutdown();
            assertThat(all).hasSize(200);
            long max = a.getBean(ChangeLog.class).maxSeq();
            assertThat(a.getBean(ChangeFollower.class).awaitApplied(max)).isTrue();
            assertThat(b.getBean(ChangeFollower.class).awaitApplied(max)).isTrue();
            assertThat(a.getBean(Reconciler.class).check().inSync()).isTrue();
            assertThat(b.getBean(Reconciler.class).check().inSync()).isTrue();
            for (Http http : List.of(httpA, httpB)) {
                String body =
                        http.get("/api/v1/products?search=tw-&page_size=1000").raw();
                for (String id : all) {
                    assertThat(body).contains("\"_id\":\"" + id + "\"");
                }
            }
        } finally {
            pg.drop();
        }
    }

    /** Milliseconds from a create through A until B lists it, for {@code n} products, sorted. */
    private static List<Double> lags(Http a, Http b, String prefix, int n) throws InterruptedException {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String sku = prefix + i;
            long t0 = System.nanoTime();
            assertThat(a.post("/api/v1/products", Bodies.product(sku, 5)).status())
                    .isEqualTo(201);
            while (!b.get("/api/v1/products?search=" + sku).raw().contains(sku)) {
                Thread.sleep(1);
                assertThat(System.nanoTime() - t0).as("never visible on B").isLessThan(30_000_000_000L);
            }
            out.add((System.nanoTime() - t0) / 1e6);
        }
        Collections.sort(out);
        return out;
    }
}
