package dev.gridserve.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Drives the service over HTTP from this (separate) process. */
final class HttpLoad {
    private static final Pattern APP = Pattern.compile("app;dur=([0-9.]+)");
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    final String base;

    HttpLoad(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** One answer; {@code timing} is its whole Server-Timing header. */
    record Result(int status, String body, double e2eMs, double serverMs, String cache, String timing) {}

    Result get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    Result send(HttpRequest req) {
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
            double e2e = (System.nanoTime() - t0) / 1e6;
            String timing = r.headers().firstValue("Server-Timing").orElse("");
            Matcher m = APP.matcher(timing);
            return new Result(
                    r.statusCode(), r.body(), e2e, m.find() ? Double.parseDouble(m.group(1)) : -1,
                    r.headers().firstValue("X-Cache").orElse(""), timing);
        } catch (IOException e) {
            return new Result(-1, e.toString(), (System.nanoTime() - t0) / 1e6, -1, "", "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Single client: {@code runs} requests, one after another; returns [end-to-end, server] latencies. */
    List<List<Double>> sequential(IntFunction<HttpRequest> request, int runs) {
        List<Double> e2e = new ArrayList<>();
        List<Double> server = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Result r = send(request.apply(i));
            if (r.status() >= 400 || r.status() < 0) {
                throw new IllegalStateException("request failed: " + r.status() + " " + r.body());
            }
            e2e.add(r.e2eMs());
            server.add(r.serverMs());
        }
        return List.of(e2e, server);
    }

    /** Closed-loop throughput with {@code clients} concurrent clients for {@code seconds}. */
    double throughput(IntFunction<HttpRequest> request, int clients, int seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int seed = c;
            fs.add(pool.submit(() -> {
                int i = seed * 1_000_003;
                while (System.nanoTime() < end) {
                    Result r = send(request.apply(i++));
                    if (r.status() >= 500 || r.status() < 0) {
                        errors.incrementAndGet();
                    }
                    done.incrementAndGet();
                }
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        if (errors.get() > 0) {
            System.out.println("  (" + errors.get() + " failed requests during throughput run)");
        }
        return done.get() / (double) seconds;
    }
}
