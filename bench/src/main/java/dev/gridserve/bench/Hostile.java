package dev.gridserve.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hardening issue's figures: what a request with an absurd number costs ({@code min_price=1e-20000000}, which
 * once took seconds of CPU), and /health's latency alone and while four clients send that request in a loop.
 * Run by {@link Bench}, or on its own against a running instance: {@code Hostile <port> <runs> <seconds>}.
 */
final class Hostile {
    static final String ABSURD = "/api/v1/products?min_price=1e-20000000";

    private Hostile() {}

    public static void main(String[] a) throws Exception {
        HttpLoad http = new HttpLoad(Integer.parseInt(a[0]));
        System.out.println(measure(http, Integer.parseInt(a[1]), Integer.parseInt(a[2])));
    }

    static Map<String, Object> measure(HttpLoad http, int runs, int seconds) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        List<List<Double>> absurd = timed(http, ABSURD, runs);
        out.put("absurd_number_status", http.get(ABSURD).status());
        out.put("absurd_number_e2e", Stats.of(absurd.get(0)).json());
        out.put("absurd_number_server", Stats.of(absurd.get(1)).json());
        out.put("health_alone", Stats.of(timed(http, "/health", runs).get(0)).json());

        AtomicBoolean go = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        ExecutorService four = Executors.newFixedThreadPool(4);
        List<Future<?>> loops = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            loops.add(four.submit(() -> {
                while (go.get()) {
                    http.get(ABSURD);
                    sent.incrementAndGet();
                }
            }));
        }
        List<Double> health = new ArrayList<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            health.add(http.get("/health").e2eMs());
        }
        go.set(false);
        for (Future<?> f : loops) {
            f.get();
        }
        four.shutdown();
        out.put("health_while_4_clients_send_it", Stats.of(health).json());
        out.put("absurd_requests_per_s_from_4_clients", Stats.round(sent.get() / (double) seconds));
        return out;
    }

    /** {@code runs} requests after 1,000 unmeasured ones (the JIT warms up): [end-to-end, server] milliseconds. */
    private static List<List<Double>> timed(HttpLoad http, String path, int runs) {
        List<Double> e2e = new ArrayList<>();
        List<Double> server = new ArrayList<>();
        for (int i = 0; i < runs + 1000; i++) {
            HttpLoad.Result r = http.send(HttpRequest.newBuilder(URI.create(http.base + path)).GET().build());
            if (i >= 1000) {
                e2e.add(r.e2eMs());
                server.add(r.serverMs());
            }
        }
        return List.of(e2e, server);
    }
}
