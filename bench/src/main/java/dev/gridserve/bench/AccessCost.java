package dev.gridserve.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The access-control issue's figure: the server time one request spends in authentication, rate limiting and
 * authorization (the {@code access} phase of Server-Timing), for an anonymous read (bucket per address) and a
 * read with an API key (bucket per key), both with the buckets shared through Redis. Run by {@link Bench}, or on
 * its own against a running instance started with {@code ADMIN_API_KEY=}{@link Bench#ADMIN_KEY}:
 * {@code AccessCost <port> <products> <runs>}.
 */
final class AccessCost {
    private static final Pattern ACCESS = Pattern.compile("access;dur=([0-9.]+)");

    private AccessCost() {}

    public static void main(String[] a) throws Exception {
        HttpLoad http = new HttpLoad(Integer.parseInt(a[0]));
        System.out.println(measure(http, Long.parseLong(a[1]), Integer.parseInt(a[2])));
    }

    static Map<String, Object> measure(HttpLoad http, long products, int runs) {
        String name = "bench-reader-" + System.currentTimeMillis();
        HttpLoad.Result made = http.send(HttpRequest.newBuilder(URI.create(http.base + "/api/v1/admin/keys"))
                .header("Content-Type", "application/json")
                .header("X-API-Key", Bench.ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"role\":\"reader\"}"))
                .build());
        if (made.status() != 201) {
            throw new IllegalStateException("could not create a key: " + made.status() + " " + made.body());
        }
        String key = made.body().replaceAll(".*\"key\":\"([^\"]+)\".*", "$1");
        try {
            Thread.sleep(1000); // every instance re-reads keys twice a second
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // the filter chain is cold until the JIT has compiled it: a few thousand requests of each kind first,
        // or the figure measures the interpreter
        phase(http, products, runs, null);
        phase(http, products, runs, key);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("anonymous_get_by_id", phase(http, products, runs, null));
        out.put("api_key_get_by_id", phase(http, products, runs, key));
        return out;
    }

    private static Map<String, Object> phase(HttpLoad http, long products, int runs, String key) {
        List<Double> access = new ArrayList<>();
        List<Double> app = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(
                    URI.create(http.base + "/api/v1/products/" + (1 + Math.floorMod(i * 7919L, products))));
            if (key != null) {
                b.header("X-API-Key", key);
            }
            HttpLoad.Result r = http.send(b.GET().build());
            if (r.status() != 200) {
                throw new IllegalStateException("request failed: " + r.status() + " " + r.body());
            }
            Matcher m = ACCESS.matcher(r.timing());
            if (m.find()) {
                access.add(Double.parseDouble(m.group(1)));
                app.add(r.serverMs());
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("access", Stats.of(access).json());
        m.put("app", Stats.of(app).json());
        return m;
    }
}
