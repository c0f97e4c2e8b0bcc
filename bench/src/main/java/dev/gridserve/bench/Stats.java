package dev.gridserve.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Percentiles of a list of latencies in milliseconds. */
record Stats(int n, double p50, double p95, double p99, double mean) {
    static Stats of(List<Double> ms) {
        double[] a = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (a.length == 0) {
            return new Stats(0, 0, 0, 0, 0);
        }
        return new Stats(a.length, pct(a, 50), pct(a, 95), pct(a, 99), Arrays.stream(a).average().orElse(0));
    }

    private static double pct(double[] sorted, double p) {
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("p50_ms", round(p50));
        m.put("p95_ms", round(p95));
        m.put("p99_ms", round(p99));
        m.put("mean_ms", round(mean));
        return m;
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
