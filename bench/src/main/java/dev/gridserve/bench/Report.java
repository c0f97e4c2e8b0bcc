package dev.gridserve.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Markdown tables and a latency-vs-size plot from every results-N.json in the output folder. */
final class Report {
    private Report() {}

    static void write(Path out, ObjectMapper om) throws Exception {
        TreeMap<Long, JsonNode> runs = new TreeMap<>();
        try (var files = Files.list(out)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("results-\\d+\\.json")).toList()) {
                JsonNode r = om.readTree(f.toFile());
                runs.put(r.get("products").asLong(), r);
            }
        }
        StringBuilder md = new StringBuilder("# gridserve benchmark results\n\n");
        for (JsonNode r : runs.values()) {
            table(md, r);
        }
        Files.writeString(out.resolve("RESULTS.md"), md);
        plot(out, runs);
    }

    private static void table(StringBuilder md, JsonNode r) {
        md.append(String.format(Locale.ROOT, "## %,d products (%s, %s)%n%n", r.get("products").asLong(),
                r.get("date").asText(), r.get("machine").asText()));
        md.append("| shape | uncached p50 / p95 / p99 (server p50) ms | cached p50 ms | SQL p50 ms | SQL / service |\n");
        md.append("|---|---|---|---|---|\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = r.get("shapes").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> s = it.next();
            JsonNode u = s.getValue().path("uncached");
            JsonNode c = s.getValue().path("cached");
            JsonNode b = s.getValue().path("sql_baseline");
            double up50 = u.path("e2e").path("p50_ms").asDouble(Double.NaN);
            double bp50 = b.path("p50_ms").asDouble(Double.NaN);
            md.append(String.format(Locale.ROOT, "| %s | %.2f / %.2f / %.2f (%.2f) | %s | %s | %s |%n", s.getKey(), up50,
                    u.path("e2e").path("p95_ms").asDouble(Double.NaN), u.path("e2e").path("p99_ms").asDouble(Double.NaN),
                    u.path("server").path("p50_ms").asDouble(Double.NaN),
                    c.isMissingNode() ? "-" : String.format(Locale.ROOT, "%.2f", c.path("e2e").path("p50_ms").asDouble()),
                    b.isMissingNode() ? "-" : String.format(Locale.ROOT, "%.2f", bp50),
                    b.isMissingNode() || Double.isNaN(up50) ? "-" : String.format(Locale.ROOT, "%.1fx", bp50 / up50)));
        }
        md.append("\nThroughput (req/s): ").append(r.get("throughput_rps").toString()).append("\n\n");
        md.append("Other: ");
        for (String k : List.of("seed_s", "index_build_s", "startup_ready_ms_existing_index", "heap_used_mib",
                "rss_mib", "index_bytes", "zipf_cache", "hostile", "access_control")) {
            if (r.has(k)) {
                md.append(k).append(" = ").append(r.get(k)).append("; ");
            }
        }
        md.append("\n\n");
    }

    private static void plot(Path out, TreeMap<Long, JsonNode> runs) throws Exception {
        XYChart chart = new XYChartBuilder()
                .width(1000)
                .height(600)
                .title("gridserve: uncached p50 latency (end-to-end) vs catalogue size")
                .xAxisTitle("products")
                .yAxisTitle("ms")
                .build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        if (runs.isEmpty()) {
            return;
        }
        for (Iterator<String> it = runs.lastEntry().getValue().get("shapes").fieldNames(); it.hasNext(); ) {
            String shape = it.next();
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (var e : runs.entrySet()) {
                double y = e.getValue().path("shapes").path(shape).path("uncached").path("e2e").path("p50_ms")
                        .asDouble(Double.NaN);
                if (!Double.isNaN(y) && y > 0) {
                    xs.add(e.getKey().doubleValue());
                    ys.add(y);
                }
            }
            if (!xs.isEmpty()) {
                chart.addSeries(shape, xs, ys).setMarker(SeriesMarkers.CIRCLE);
            }
        }
        BitmapEncoder.saveBitmap(chart, out.resolve("latency.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
