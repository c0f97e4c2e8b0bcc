package dev.gridserve;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import dev.gridserve.support.RawHttp;
import dev.gridserve.support.TestKeys;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The attacks of the hardening issue, each sent exactly as found: every one is a fast, clear 4xx in
 * problem+json with a plain detail, writes nothing and logs no ERROR line.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HostileInputTest {
    static final PostgresSchema PG = new PostgresSchema();
    static final String WRITER = "http://admin.example";

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        PG.register(r);
        r.add("gridserve.web.cors-write-origins", () -> WRITER);
    }

    @AfterAll
    static void drop() {
        PG.drop();
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    Http http;
    final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void setUp() {
        http = new Http(port);
        log.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
    }

    @AfterEach
    void noErrorWasLogged() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
        assertThat(log.list.stream().filter(e -> e.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage))
                .as("ERROR log lines")
                .isEmpty();
    }

    /** An error answer as the issue asks: this status, problem+json, a detail sentence, the security headers. */
    static JsonNode problem(Http.Response r, int status) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        JsonNode body = r.json();
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("detail").stringValue()).isNotBlank().endsWith(".");
        return body;
    }

    static void problem(RawHttp.Response r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().get("content-type")).as(r.body()).startsWith("application/problem+json");
        assertThat(r.headers().get("x-content-type-options")).isEqualTo("nosniff");
        JsonNode body = Http.JSON.readTree(r.body());
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("detail").stringValue()).isNotBlank().endsWith(".");
    }

    /** Rows and the newest change-log number: a rejected request must change neither. */
    long[] written() throws Exception {
        try (Connection c = DriverManager.getConnection(PG.jdbcUrl(), "postgres", "");
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT (SELECT COUNT(*) FROM products),"
                                + " (SELECT COALESCE(MAX(seq), 0) FROM product_changes)")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    Http.Response post(String json) {
        return http.post("/api/v1/products", json);
    }

    static String product(String field, String rawValue) {
        String base = "\"name\":\"n\",\"description\":\"d\",\"price\":1,\"category\":\"c\",\"stock\":1,\"sku\":\"S-"
                + Math.abs(rawValue.hashCode()) + "\"";
        return "{" + base.replaceAll("\"" + field + "\":[^,]*", "\"" + field + "\":" + rawValue)
                + (base.contains("\"" + field + "\"") ? "" : ",\"" + field + "\":" + rawValue) + "}";
    }

    @Test
    void absurdNumbersAreRejectedBeforeAnyArithmetic() throws Exception {
        long[] before = written();
        for (String q : List.of(
                "/api/v1/products?min_price=1e-20000000",
                "/api/v1/products?max_price=1e-20000000",
                "/api/v1/products?min_price=1e20000000",
                "/api/v1/products/stats/summary?min_price=1e-20000000",
                "/api/v1/products?min_rating=1e-20000000",
                "/api/v1/products?min_price=" + "9".repeat(5000),
                "/api/v1/products?page=%D9%A1",
                "/api/v1/products?min_stock=%2B5")) {
            JsonNode body = problem(http.get(q), 422);
            assertThat(body.get("errors").get(0).get("message").stringValue())
                    .as(q)
                    .startsWith("must be");
        }
        for (String field : List.of("price", "rating", "stock", "reviews_count")) {
            for (String v : List.of("1e-20000000", "1e309", "-1e309", "1e400", "-1e400", "1E+2147483647")) {
                JsonNode body = problem(post(product(field, v)), 422);
                assertThat(body.get("errors").toString()).as(field + "=" + v).contains("\"field\":\"" + field + "\"");
            }
        }
        assertThat(written()).isEqualTo(before);
    }

    @Test
    void malformedPercentEncodingOrUtf8InAnyParameterIs400() {
        for (String q : List.of("search=%", "x=%ED%A0%80", "x=%C0%AF", "x=%zz", "search=ok&%zz=1", "category=%E2%82")) {
            RawHttp.Response r = RawHttp.send(
                    port, "GET /api/v1/products?" + q + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            problem(r, 400);
            assertThat(r.body()).as(q).contains("percent-encoding");
        }
    }

    @Test
    void aSkuLongerThanItsColumnOnceLowerCasedIs422AndWritesNothing() throws Exception {
        long[] before = written();
        JsonNode body = problem(post(product("sku", "\"" + "İ".repeat(26) + "\"")), 422);
        assertThat(body.get("errors").get(0).get("message").stringValue()).contains("in lower case");
        assertThat(written()).isEqualTo(before);
        assertThat(http.get("/health").json().get("index").get("open_gaps").asInt())
                .isZero();
    }

    @Test
    void everyErrorTheServerItselfSendsIsProblemJson() {
        String host = "Host: 127.0.0.1\r\nConnection: close\r\n";
        record Case(String name, String request, int status) {}
        for (Case c : List.of(
                new Case(
                        "URI over 8 KB",
                        "GET /api/v1/products?x=" + "a".repeat(9000) + " HTTP/1.1\r\n" + host + "\r\n",
                        400),
                new Case(
                        "header over 8 KB",
                        "GET /api/v1/products HTTP/1.1\r\n" + host + "X-Big: " + "a".repeat(9000) + "\r\n\r\n",
                        400),
                new Case("bad character in the URI", "GET /api/v1/products?x=<a> HTTP/1.1\r\n" + host + "\r\n", 400),
                new Case("encoded slash", "GET /api/v1/products/%2F1 HTTP/1.1\r\n" + host + "\r\n", 400),
                new Case(
                        "duplicate Host",
                        "GET /api/v1/products HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n",
                        400),
                new Case(
                        "duplicate Content-Length",
                        "POST /api/v1/products HTTP/1.1\r\n" + host
                                + "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
                        400),
                new Case(
                        "unsupported transfer encoding",
                        "POST /api/v1/products HTTP/1.1\r\n" + host + "Transfer-Encoding: gzip\r\n\r\n",
                        501),
                new Case("HTTP version", "GET /api/v1/products HTTP/2.5\r\n" + host + "\r\n", 505),
                new Case("garbage request line", "HELLO\r\n\r\n", 400),
                new Case("TRACE", "TRACE /api/v1/products HTTP/1.1\r\n" + host + "\r\n", 405),
                new Case(
                        "bad chunk size",
                        "POST /api/v1/products HTTP/1.1\r\n" + host + "X-API-Key: " + TestKeys.ADMIN + "\r\n"
                                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n",
                        400),
                new Case("WEB-INF", "GET /WEB-INF/web.xml HTTP/1.1\r\n" + host + "\r\n", 404),
                new Case("GET /error", "GET /error HTTP/1.1\r\n" + host + "\r\n", 404),
                new Case("matrix parameter", "GET /api/v1/products;jsessionid=1 HTTP/1.1\r\n" + host + "\r\n", 400),
                new Case("double slash", "GET //api/v1/products HTTP/1.1\r\n" + host + "\r\n", 400),
                new Case("path traversal", "GET /api/../../etc/passwd HTTP/1.1\r\n" + host + "\r\n", 400),
                new Case("unknown method", "FOO /api/v1/products HTTP/1.1\r\n" + host + "\r\n", 405))) {
            RawHttp.Response r = RawHttp.send(port, c.request());
            try {
                problem(r, c.status());
            } catch (AssertionError e) {
                throw new AssertionError(c.name() + ": " + e.getMessage(), e);
            }
        }
    }

    @Test
    void jsonErrorsSayWhatIsWrongInPlainWords() {
        for (String[] c : new String[][] {
            {"{\"a\":1} {\"b\":2}", "more after the JSON value"},
            {"{\"a\":1} trailing", "unrecognized word 'trailing'"},
            {"[".repeat(2000) + "]".repeat(2000), "nested more than"},
            {"{\"name\":1,\"name\":2}", "appears more than once"},
            {"{\"name\":}", "unexpected character '}'"},
            {"{\"name\":\"x", "ends before the value is complete"},
            {"{\"name\":tru}", "unrecognized word"},
            {"{\"price\":NaN}", "NaN and Infinity are not JSON numbers"},
            {"{\"" + "k".repeat(300) + "\":1}", "key is longer than 256"},
        }) {
            JsonNode body = problem(post(c[0]), 400);
            String detail = body.get("detail").stringValue();
            assertThat(detail).as(c[0]).contains(c[1]);
            assertThat(detail).doesNotContain("tools.jackson", "Feature", "Constraints", "`", "JsonNode", "token");
        }
        assertThat(problem(post("{\"name\":}"), 400).get("detail").stringValue())
                .contains("line 1, column");
    }

    @Test
    void controlCharactersFromARequestNeverReachTheLogVerbatim() {
        // refused requests are logged at DEBUG only (counted otherwise); these lines are what this test reads
        Logger handler = (Logger) LoggerFactory.getLogger("dev.gridserve.system.ProblemHandler");
        Level before = handler.getLevel();
        handler.setLevel(Level.DEBUG);
        try {
            problem(post("{\"bad\\r\\nFORGED-LINE key\":1,\"name\":\"n\"}"), 422);
            problem(http.get("/api/v1/products/abc%E2%80%A8FORGED-LINE"), 400);
            problem(
                    RawHttp.send(
                            port,
                            "GET /api/v1/products/abc%0d%0aFORGED-LINE HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
                    400);
        } finally {
            handler.setLevel(before);
        }
        List<String> lines =
                log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines.stream().filter(l -> l.contains("FORGED-LINE")))
                .as("the requests were logged")
                .isNotEmpty()
                .allMatch(l -> l.chars().noneMatch(ch -> ch == '\r' || ch == '\n' || ch == 0x2028));
    }

    @Test
    void idsAndBodiesAreReadOneWayOnly() throws Exception {
        for (String id : List.of("%D9%A1", "+1", "00001", "1.0", "0", "9223372036854775808")) {
            problem(http.get("/api/v1/products/" + id), 400);
        }
        long[] before = written();
        String body = product("sku", "\"CT-1\"");
        for (String type :
                List.of("*/*", "application/*", "application/json; charset=latin1", "text/json", "text/plain")) {
            Http.Response r = http.send(HttpRequest.newBuilder(http.uri("/api/v1/products"))
                    .header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            assertThat(problem(r, 415).get("detail").stringValue()).as(type).contains("application/json");
        }
        assertThat(written()).isEqualTo(before);
        assertThat(http.send(HttpRequest.newBuilder(http.uri("/api/v1/products"))
                                .header("Content-Type", "application/json; charset=UTF-8")
                                .POST(HttpRequest.BodyPublishers.ofString(body)))
                        .status())
                .isEqualTo(201);

        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 6000; i++) {
            many.append("\"k").append(i).append("\":1,");
        }
        many.append("\"z\":1}");
        assertThat(many.length()).isLessThan(65536);
        JsonNode capped = problem(post(many.toString()), 422);
        assertThat(capped.get("errors")).hasSize(20);
        assertThat(capped.get("detail").stringValue()).contains("6007 invalid fields", "first 20");
    }

    @Test
    void browsersMayReadFromAnyOriginButWriteOnlyFromListedOnes() throws Exception {
        Http.Response read =
                http.send(HttpRequest.newBuilder(http.uri("/api/v1/products")).header("Origin", "http://evil.example"));
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("Access-Control-Allow-Origin")).isEqualTo("*");
        Http.Response fromNull =
                http.send(HttpRequest.newBuilder(http.uri("/api/v1/products")).header("Origin", "null"));
        assertThat(fromNull.header("Access-Control-Allow-Origin"))
                .as("never reflected")
                .isEqualTo("*");

        Http.Response preflight = http.send(HttpRequest.newBuilder(http.uri("/api/v1/products/1"))
                .header("Origin", "http://evil.example")
                .header("Access-Control-Request-Method", "DELETE")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(problem(preflight, 403).get("detail").stringValue()).contains("CORS_WRITE_ORIGINS");
        long[] before = written();
        Http.Response write = http.send(HttpRequest.newBuilder(http.uri("/api/v1/products"))
                .header("Origin", "http://evil.example")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(product("sku", "\"CORS-1\""))));
        problem(write, 403);
        assertThat(written()).isEqualTo(before);

        Http.Response allowed = http.send(HttpRequest.newBuilder(http.uri("/api/v1/products/1"))
                .header("Origin", WRITER)
                .header("Access-Control-Request-Method", "DELETE")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(WRITER);
        Http.Response sameOrigin = http.send(HttpRequest.newBuilder(http.uri("/api/v1/products"))
                .header("Origin", "http://127.0.0.1:" + port)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(product("sku", "\"CORS-2\""))));
        assertThat(sameOrigin.status())
                .as("the built-in UI writes from its own origin")
                .isEqualTo(201);
    }

    @Test
    void securityHeadersOnEveryResponseAndMetricsOffThePublicPort() {
        for (String path : List.of("/", "/api/v1/products", "/api/v1/products/abc", "/nothing")) {
            Http.Response r = http.get(path);
            assertThat(r.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            assertThat(r.header("Referrer-Policy")).as(path).isEqualTo("strict-origin-when-cross-origin");
            assertThat(r.header("Content-Security-Policy")).as(path).contains("frame-ancestors 'none'");
        }
        RawHttp.Response tomcat = RawHttp.send(port, "GET / HTTP/2.5\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(tomcat.headers().get("content-security-policy")).contains("frame-ancestors 'none'");
        problem(http.get("/actuator/prometheus"), 404);
        problem(http.get("/actuator/metrics"), 404);
        assertThat(new Http(managementPort).get("/actuator/prometheus").status())
                .isEqualTo(200);
        assertThat(new Http(managementPort).get("/actuator/health/readiness").status())
                .isEqualTo(200);
    }
}
