package dev.gridserve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Apps;
import dev.gridserve.support.Bodies;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tracingprobe.FailingController;

/**
 * Traces, exported to an in-memory exporter: a list request is one trace holding its HTTP span, the L1 and L2
 * cache lookups and the index query; a write's trace holds its JDBC statements; a 5xx names its trace in the
 * body and in the log line. Nothing is exported over OTLP (no endpoint is configured).
 */
@ExtendWith(OutputCaptureExtension.class)
class TracingTest {
    final InMemorySpanExporter exporter = InMemorySpanExporter.create();

    /** The spans of the trace whose span matches {@code first}, once it and spans named {@code expected} are in. */
    List<SpanData> trace(Predicate<SpanData> first, List<String> expected) throws InterruptedException {
        for (int i = 0; i < 600; i++) { // a deadline for spans that never come, not a speed target
            List<SpanData> all = exporter.getFinishedSpanItems();
            for (SpanData s : all) {
                if (first.test(s)) {
                    List<SpanData> trace = all.stream()
                            .filter(o -> o.getTraceId().equals(s.getTraceId()))
                            .toList();
                    if (trace.stream().map(SpanData::getName).toList().containsAll(expected)) {
                        return trace;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("never exported: " + expected + " in " + exporter.getFinishedSpanItems());
    }

    static Predicate<SpanData> server(String method, String route) {
        return s -> s.getKind() == SpanKind.SERVER && s.getName().equals("http " + method.toLowerCase() + " " + route);
    }

    @Test
    void aRequestIsOneTraceOfItsCacheLookupsIndexQueryAndStatements(CapturedOutput output) throws Exception {
        PostgresSchema pg = new PostgresSchema();
        try (ConfigurableApplicationContext app = Apps.start(
                ctx -> {
                    ctx.registerBean(InMemorySpanExporter.class, () -> exporter);
                    ctx.registerBean(FailingController.class);
                },
                Apps.over(
                        pg,
                        pg.dataDir,
                        "gridserve.cache.redis-url=redis://127.0.0.1:6379",
                        "management.tracing.sampling.probability=1.0",
                        "management.opentelemetry.tracing.export.schedule-delay=20ms"))) {
            Http http = Apps.http(app);

            assertThat(http.get("/api/v1/products?search=trace").status()).isEqualTo(200);
            List<SpanData> list = trace(
                    server("GET", "/api/v1/{table}"), List.of("cache l1 lookup", "cache l2 lookup", "index query"));
            System.out.println(
                    "TRACE list: " + list.stream().map(SpanData::getName).toList());
            SpanData root = list.stream()
                    .filter(server("GET", "/api/v1/{table}"))
                    .findFirst()
                    .orElseThrow();
            assertThat(root.getParentSpanContext().isValid()).isFalse();
            list.stream()
                    .filter(s -> s != root)
                    .forEach(s -> assertThat(s.getParentSpanContext().isValid())
                            .as(s.getName())
                            .isTrue());

            assertThat(http.post("/api/v1/products", Bodies.product("TRACE-1", 10))
                            .status())
                    .isEqualTo(201);
            List<SpanData> write = trace(server("POST", "/api/v1/{table}"), List.of());
            System.out.println(
                    "TRACE write: " + write.stream().map(SpanData::getName).toList());
            assertThat(write.stream().map(SpanData::getName)).anyMatch(n -> n.contains("query"));

            Http.Response failed = http.get("/api/v1/probe/fail");
            assertThat(failed.status()).isEqualTo(500);
            String traceId = failed.json().get("trace_id").asString();
            assertThat(traceId).matches("[0-9a-f]{32}");
            trace(s -> s.getTraceId().equals(traceId) && s.getKind() == SpanKind.SERVER, List.of());
            assertThat(output.getOut().lines().filter(l -> l.contains("/api/v1/probe/fail -> 500")))
                    .as("the error's log line names the trace")
                    .anyMatch(l -> l.contains(traceId));

            // the followers poll the change log 5 times a second per table meanwhile: none of that is a trace
            Thread.sleep(1000);
            assertThat(exporter.getFinishedSpanItems())
                    .filteredOn(s -> !s.getParentSpanContext().isValid())
                    .extracting(SpanData::getName)
                    .allMatch(n -> n.startsWith("http "));

            // no endpoint configured: no OTLP exporter of spans, logs or metrics exists to send anything
            assertThat(app.getBeansOfType(SpanExporter.class).values()).containsExactly(exporter);
            assertThat(app.getBeansOfType(LogRecordExporter.class)).isEmpty();
            assertThat(app.getBeanNamesForType(OtlpMeterRegistry.class)).isEmpty();
        }
    }

    /** The control for the check above: with an endpoint, an OTLP span exporter is there. */
    @Test
    void anEndpointTurnsTheOtlpExporterOn() {
        try (ConfigurableApplicationContext app = Apps.start(Apps.embedded(
                java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "gridserve-otlp-" + System.nanoTime()),
                "management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:9/v1/traces"))) {
            assertThat(app.getBeansOfType(SpanExporter.class).values())
                    .anyMatch(e -> e.getClass().getSimpleName().startsWith("Otlp"));
        }
    }
}
