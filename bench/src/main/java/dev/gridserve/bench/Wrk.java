package dev.gridserve.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Throughput from wrk, a C load generator: the JDK client on the same two cores takes about half the CPU
 * itself, so its req/s say as much about the client as about the service.
 */
final class Wrk {
    static final Path MIX = Path.of("bench/wrk/mix-8-shapes.lua");

    private Wrk() {}

    /** A warm-up run, then a measured one: req/s, p50 and p99 in ms, and non-2xx responses. */
    static Map<String, Object> mix(String base, int threads, int connections, int seconds)
            throws IOException, InterruptedException {
        run(base, threads, connections, Math.max(5, seconds / 2));
        String out = run(base, threads, connections, seconds);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rps", Stats.round(number(out, "Requests/sec:\\s+([0-9.]+)")));
        m.put("p50_ms", Stats.round(latency(out, "50")));
        m.put("p99_ms", Stats.round(latency(out, "99")));
        Matcher bad = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(out);
        m.put("non_2xx", bad.find() ? Long.parseLong(bad.group(1)) : 0L);
        m.put("threads", threads);
        m.put("connections", connections);
        System.out.printf("  wrk -t%d -c%d: %s%n", threads, connections, m);
        return m;
    }

    private static String run(String base, int threads, int connections, int seconds)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(
                        "wrk",
                        "-t" + threads,
                        "-c" + connections,
                        "-d" + seconds + "s",
                        "--latency",
                        "-s",
                        MIX.toString(),
                        base))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("wrk failed: " + out);
        }
        return out;
    }

    private static double number(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("wrk printed no " + regex + ":\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    /** A latency percentile from wrk's distribution, in ms. */
    private static double latency(String out, String percent) {
        Matcher m = Pattern.compile("(?m)^\\s*" + percent + "%\\s+([0-9.]+)(us|ms|s)\\s*$").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("wrk printed no " + percent + "% latency:\n" + out);
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }
}
