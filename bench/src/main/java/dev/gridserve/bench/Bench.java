package dev.gridserve.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Seeds (or reuses) a PostgreSQL dataset of N products, starts the service as a separate process, and measures
 * every query shape uncached, cached and as plain SQL, plus throughput, footprint and build times.
 */
public final class Bench {
    /** The service's configured admin key in this bench (writes and key management need credentials). */
    static final String ADMIN_KEY = "bench-admin-key-not-secret-0123456789abcdef";

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = args(argv);
        long n = Long.parseLong(a.getOrDefault("products", "100000").replace("_", ""));
        int runs = Integer.parseInt(a.getOrDefault("runs", "200"));
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "10"));
        String java = a.get("java");
        String jar = a.get("jar");
        Path out = Path.of(a.getOrDefault("out", "bench/results"));
        Path data = Path.of(a.getOrDefault("data", "bench/data")).resolve(Long.toString(n));
        Files.createDirectories(out);
        Files.createDirectories(data);
        String db = "gridbench_" + n;
        String jdbc = "jdbc:postgresql://127.0.0.1:5432/" + db;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("products", n);
        result.put("date", LocalDate.now().toString());
        result.put("machine", Runtime.getRuntime().availableProcessors() + " cores, "
                + Math.round(totalMemGiB()) + " GiB, " + System.getProperty("os.name"));

        Map<String, String> env = new HashMap<>(Map.of(
                "DATABASE_URL", jdbc, "DATABASE_USER", "postgres", "DATA_DIR", data.toString(),
                "AWAIT_INDEX_ON_START", "false",
                "SEED_ON_EMPTY", "0", "MANAGEMENT_PORT", "0"));
        // access control as deployed: keys, and rate limits shared through Redis, with budgets far above what
        // the load below sends, so that their cost is measured rather than their refusals
        env.put("ADMIN_API_KEY", ADMIN_KEY);
        env.put("REDIS_URL", "redis://127.0.0.1:6379");
        env.put("RATE_LIMIT_READS_PER_SECOND", "1000000000");
        env.put("RATE_LIMIT_READ_BURST", "1000000000");
        env.put("RATE_LIMIT_WRITES_PER_SECOND", "1000000000");
        env.put("RATE_LIMIT_WRITE_BURST", "1000000000");
        if (count(db) != n) {
            System.out.println("Seeding " + n + " products into " + db);
            recreate(db);
            deleteTree(data);
            Files.createDirectories(data);
            String log = AppProcess.runToEnd(java, jar, env, List.of("--seed=" + n, "--exit"), out.resolve("seed.log"));
            result.put("seed_s", AppProcess.firstNumber(log, "Seeding: finished \\d+ in ([0-9.]+) s"));
            result.put("index_build_s", AppProcess.firstNumber(log, "Index of products rebuilt: \\d+ rows in (\\d+) ms") / 1000);
        }

        Map<String, Object> shapes = new LinkedHashMap<>();
        Map<String, Object> throughput = new LinkedHashMap<>();
        env.put("ENABLE_CACHE", "false");
        // the actuator (heap in use) answers on its own port only
        env.put("MANAGEMENT_PORT", Integer.toString(MANAGEMENT_PORT));
        try (AppProcess app = AppProcess.start(java, jar, env, 8100, out.resolve("app-uncached.log"))) {
            String startLog = Files.readString(app.log);
            if (startLog.contains("Index of products rebuilt:")) {
                // the index was (re)built at this start, not reopened: report it as a build
                result.put("index_build_s", AppProcess.firstNumber(startLog, "Index of products rebuilt: \\d+ rows in (\\d+) ms") / 1000);
                result.put("startup_ready_ms_with_rebuild", app.readyMillis);
            } else {
                result.put("startup_ready_ms_existing_index", app.readyMillis);
            }
            HttpLoad http = new HttpLoad(app.port);
            measureShapes(http, n, runs, shapes, "uncached");
            System.out.println("Hostile input: an absurd number, and /health while four clients send it");
            result.put("hostile", Hostile.measure(http, runs, seconds));
            System.out.println("Access control: server time of authentication + rate limiting + authorization");
            result.put("access_control", AccessCost.measure(http, n, runs * 25));
            System.out.println("Throughput, uncached");
            throughput.put("uncached_reads_c16", Stats.round(http.throughput(Shapes.mixedReads(http.base, n), 16, seconds)));
            throughput.put("uncached_reads_c64", Stats.round(http.throughput(Shapes.mixedReads(http.base, n), 64, seconds)));
            throughput.put("mixed_10pct_writes_c16", Stats.round(http.throughput(Shapes.mixedWithWrites(http.base, n), 16, seconds)));
            throughput.put("wrk_uncached_mix_c32", Wrk.mix(http.base, 2, 32, 2 * seconds));
            result.put("heap_used_mib", heapMiB(new HttpLoad(MANAGEMENT_PORT)));
            result.put("rss_mib", Stats.round(app.rssMiB()));
            result.put("index_bytes", (long) AppProcess.firstNumber(http.get("/health").body(), "\"size_bytes\":(\\d+)"));
        }
        if (!a.containsKey("skip-cache")) {
            env.put("ENABLE_CACHE", "true");
            env.put("MANAGEMENT_PORT", "0");
            try (AppProcess app = AppProcess.start(java, jar, env, 8101, out.resolve("app-cached.log"))) {
                HttpLoad http = new HttpLoad(app.port);
                measureShapes(http, n, runs, shapes, "cached");
                System.out.println("Throughput, cached; Zipf hit ratio");
                throughput.put("cached_reads_c16", Stats.round(http.throughput(Shapes.mixedReads(http.base, n), 16, seconds)));
                throughput.put("cached_reads_c64", Stats.round(http.throughput(Shapes.mixedReads(http.base, n), 64, seconds)));
                throughput.put("wrk_cached_mix_c32", Wrk.mix(http.base, 2, 32, 2 * seconds));
                result.put("zipf_cache", zipf(http, n));
            }
        }
        if (!a.containsKey("skip-baseline")) {
            System.out.println("SQL baseline (creating indexes if missing)");
            try (Connection c = DriverManager.getConnection(jdbc, "postgres", "")) {
                SqlBaseline.prepare(c);
                int baseRuns = Math.max(5, runs / 10);
                for (var e : SqlBaseline.shapes(n).entrySet()) {
                    Stats s = Stats.of(SqlBaseline.measure(c, e.getValue(), baseRuns));
                    shape(shapes, e.getKey()).put("sql_baseline", s.json());
                    System.out.printf("  %-26s sql p50 %8.2f ms%n", e.getKey(), s.p50());
                }
            }
        }
        result.put("shapes", shapes);
        result.put("throughput_rps", throughput);
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path json = out.resolve("results-" + n + ".json");
        om.writeValue(json.toFile(), result);
        Report.write(out, om);
        System.out.println("Wrote " + json + ", " + out.resolve("RESULTS.md") + ", " + out.resolve("latency.png"));
    }

    private static void measureShapes(HttpLoad http, long n, int runs, Map<String, Object> shapes, String mode) {
        System.out.println("Shapes, " + mode);
        Map<String, IntFunction<HttpRequest>> all = new LinkedHashMap<>();
        Shapes.fixed().forEach((k, v) -> all.put(k, Shapes.get(http.base, v)));
        all.put("get_by_id", Shapes.byId(http.base, n));
        // warm every shape before measuring any, so the first one measured does not pay for JIT compilation
        // of the code paths all of them share; and each for some seconds, not a fixed count: a deep page by
        // name ran 5-8x slower for its first ~200 requests (3 s) while its loops were still being compiled
        for (int round = 0; round < 2; round++) {
            for (var e : all.entrySet()) {
                long until = System.nanoTime() + 2_000_000_000L;
                do {
                    http.sequential(e.getValue(), Math.min(runs, 50));
                } while (System.nanoTime() < until);
            }
        }
        for (var e : all.entrySet()) {
            List<List<Double>> lat = http.sequential(e.getValue(), runs);
            record(shapes, e.getKey(), mode, lat);
        }
        record(shapes, "cursor_walk_200", mode, cursorWalk(http));
    }

    /** Latency of each page of a 200-page cursor walk (price ascending). */
    private static List<List<Double>> cursorWalk(HttpLoad http) {
        List<Double> e2e = new ArrayList<>();
        List<Double> server = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            String cursor = null;
            e2e.clear();
            server.clear();
            for (int p = 0; p < 200; p++) {
                HttpLoad.Result r = http.get(Shapes.API + "?sort_by=price&sort_order=asc&page_size=50"
                        + (cursor == null ? "" : "&cursor=" + cursor));
                e2e.add(r.e2eMs());
                server.add(r.serverMs());
                java.util.regex.Matcher m =
                        java.util.regex.Pattern.compile("\"next_cursor\":\"([^\"]+)\"").matcher(r.body());
                if (!m.find()) {
                    break;
                }
                cursor = m.group(1);
            }
        }
        return List.of(e2e, server);
    }

    private static void record(Map<String, Object> shapes, String name, String mode, List<List<Double>> lat) {
        Stats e2e = Stats.of(lat.get(0));
        Stats server = Stats.of(lat.get(1));
        shape(shapes, name).put(mode, Map.of("e2e", e2e.json(), "server", server.json()));
        System.out.printf("  %-26s e2e p50 %7.2f p95 %7.2f p99 %7.2f | server p50 %7.2f p95 %7.2f ms%n",
                name, e2e.p50(), e2e.p95(), e2e.p99(), server.p50(), server.p95());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> shape(Map<String, Object> shapes, String name) {
        return (Map<String, Object>) shapes.computeIfAbsent(name, k -> new LinkedHashMap<String, Object>());
    }

    private static Map<String, Object> zipf(HttpLoad http, long n) {
        IntFunction<HttpRequest> q = Shapes.zipf(http.base, 3000, 7);
        int requests = 20_000;
        int hits = 0;
        List<Double> hitMs = new ArrayList<>();
        List<Double> missMs = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            HttpLoad.Result r = http.send(q.apply(i));
            if (r.cache().startsWith("HIT")) {
                hits++;
                hitMs.add(r.serverMs());
            } else {
                missMs.add(r.serverMs());
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("distinct_queries", 3000);
        m.put("requests", requests);
        m.put("hit_ratio", Stats.round((double) hits / requests));
        m.put("hit_server_p50_ms", Stats.round(Stats.of(hitMs).p50()));
        m.put("miss_server_p50_ms", Stats.round(Stats.of(missMs).p50()));
        System.out.println("  Zipf: " + m);
        return m;
    }

    private static final int MANAGEMENT_PORT = 9100;

    /** Heap in use, from the actuator; fails rather than reporting 0 when it cannot be read. */
    private static double heapMiB(HttpLoad management) {
        String body = management.get("/actuator/metrics/jvm.memory.used?tag=area:heap").body();
        double bytes = AppProcess.firstNumber(body, "\"value\":([0-9.E]+)");
        if (bytes < 0) {
            throw new IllegalStateException("No heap figure from the actuator: " + body);
        }
        return Stats.round(bytes / 1024 / 1024);
    }

    private static long count(String db) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + db, "postgres", "");
                ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM products")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return -1;
        }
    }

    private static void recreate(String db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "")) {
            c.createStatement().execute("DROP DATABASE IF EXISTS " + db);
            c.createStatement().execute("CREATE DATABASE " + db);
        }
    }

    private static void deleteTree(Path p) throws Exception {
        if (Files.exists(p)) {
            try (var s = Files.walk(p)) {
                for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    private static double totalMemGiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / 1024.0 / 1024.0;
                }
            }
        } catch (Exception e) {
            // unknown
        }
        return -1;
    }

    private static Map<String, String> args(String[] argv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String k = argv[i].replaceFirst("^--", "");
            if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                m.put(k, argv[++i]);
            } else {
                m.put(k, "true");
            }
        }
        return m;
    }

}
