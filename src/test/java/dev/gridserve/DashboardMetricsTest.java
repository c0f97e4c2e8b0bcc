package dev.gridserve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Apps;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every metric the Grafana dashboard (ops/grafana/dashboards/gridserve.json) queries is exported by a running
 * instance over the real PostgreSQL and Redis, once it has served the kinds of requests the panels show.
 */
class DashboardMetricsTest {
    static final Path DASHBOARD = Path.of("ops/grafana/dashboards/gridserve.json");

    /** PromQL's own words: functions, aggregations and modifiers, which look like metric names. */
    static final Set<String> PROMQL = Set.of(
            "sum",
            "avg",
            "max",
            "min",
            "count",
            "rate",
            "irate",
            "increase",
            "histogram_quantile",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "and",
            "or",
            "unless",
            "offset",
            "label_values");

    /** The metric names in a PromQL expression: strings, label matchers, ranges and groupings removed. */
    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\"[^\"]*\"", "")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^]]*]", "")
                .replaceAll("(by|without)\\s*\\([^)]*\\)", "");
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(bare);
        while (m.find()) {
            if (!PROMQL.contains(m.group())) {
                out.add(m.group());
            }
        }
        return out;
    }

    @Test
    void metricNamesAreFoundInPromQl() {
        assertThat(metricNames("histogram_quantile(0.99, sum by (le, uri) (rate(http_server_requests_seconds_bucket"
                        + "{job=\"gridserve\", instance=~\"$instance\"}[$__rate_interval])))"))
                .containsExactly("http_server_requests_seconds_bucket");
        assertThat(metricNames("rate(a_sum{x=\"y\"}[1m]) / rate(a_count[1m])")).containsExactly("a_count", "a_sum");
    }

    @Test
    void everyMetricTheDashboardQueriesIsExported() throws Exception {
        JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            if (panel.has("targets")) {
                panel.get("targets").forEach(t -> exprs.add(t.get("expr").asString()));
            }
        }
        // label_values(metric{...}, label): the label is not a metric
        dashboard
                .get("templating")
                .get("list")
                .forEach(v -> exprs.add(v.get("query").asString().replaceAll(",\\s*\\w+\\s*\\)$", ")")));
        Set<String> wanted = new TreeSet<>();
        exprs.forEach(e -> wanted.addAll(metricNames(e)));
        assertThat(wanted)
                .contains("gridserve_cache_requests_total", "gridserve_index_lag_seconds", "jvm_memory_used_bytes");

        PostgresSchema pg = new PostgresSchema();
        ConfigurableApplicationContext app = Apps.start(Apps.over(
                pg,
                pg.dataDir,
                "gridserve.cache.redis-url=redis://127.0.0.1:6379",
                "gridserve.cache.namespace=dashboard-" + System.nanoTime()));
        try {
            Http http = Apps.http(app);
            String q = "/api/v1/products?category=Toys";
            http.anonymous().get(q);
            http.anonymous().get(q); // a hit
            Http.Response created = http.post("/api/v1/products", """
                    {"name":"Metric toy","description":"d","price":3,"category":"Toys","stock":1,"sku":"METRIC-1"}""");
            assertThat(created.status()).as(created.raw()).isEqualTo(201);
            http.anonymous().get("/api/v1/products/999999"); // a problem response
            System.gc(); // a collection, so its pause is on record
            String port = app.getEnvironment().getProperty("local.management.port");
            String exported = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            Set<String> names = new TreeSet<>();
            for (String line : exported.split("\n")) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    names.add(line.split("[{ ]", 2)[0]);
                }
            }
            assertThat(names).containsAll(wanted);
        } finally {
            app.close();
            pg.drop();
        }
    }
}
