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
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Thousands of generated requests (seeded, so a failure repeats) over every query parameter, path and body field,
 * made of hostile values and valid ones, sent as raw bytes: none gets a 5xx, every error is problem+json with a
 * detail, a refused write changes nothing, and nothing is logged as an ERROR.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FuzzTest {
    static final PostgresSchema PG = new PostgresSchema();
    static final long SEED = 20261126;
    static final int CASES = 3000;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        PG.register(r);
        r.add("gridserve.data.seed-on-empty", () -> "300");
    }

    @AfterAll
    static void drop() {
        PG.drop();
    }

    @LocalServerPort
    int port;

    static final String[] PARAMS = {
        "page", "page_size", "search", "category", "brand", "tags", "tags[]", "min_price", "max_price", "min_stock",
        "max_stock", "min_rating", "sort_by", "sort_order", "cursor", "fields", "facets", "x", "min_prce", "_"
    };

    /** Query values, already encoded as they go on the wire (some deliberately malformed). */
    static final String[] QUERY_VALUES = {
        "",
        "1",
        "2",
        "50",
        "1000",
        "1001",
        "0",
        "-1",
        "%2B1",
        "00001",
        "%D9%A1",
        "1e-20000000",
        "1e20000000",
        "1e309",
        "-1e309",
        "1e400",
        "NaN",
        "Infinity",
        "9999999999999999999999",
        "19.99",
        "0.001",
        "4.5",
        "5",
        "6",
        "laptop",
        "lap",
        "ch",
        "a%20b",
        "Electronics",
        "books",
        "sale,eco",
        "%",
        "%zz",
        "%ED%A0%80",
        "%C0%AF",
        "%E2%82",
        "%00",
        "%0d%0aFORGED",
        "%E2%80%A8",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "'%20OR%201%3D1%20--",
        "price",
        "name",
        "relevance",
        "created_at",
        "color",
        "asc",
        "desc",
        "up",
        "MXxwcmljZXxkfDJ8OTk5OXx8MTIz",
        "garbage!",
        "name,price",
        "password",
        "category,brand,tags",
        "%C4%B0".repeat(30),
        "x".repeat(300),
        "%F0%9F%98%80",
        "%5B%5D",
        "%7B%7D"
    };

    static final String[] FIELDS = {
        "name",
        "description",
        "price",
        "category",
        "stock",
        "sku",
        "brand",
        "rating",
        "reviews_count",
        "tags",
        "_id",
        "id",
        "created_at",
        "updated_at",
        "unknown",
        "bad\\r\\nkey"
    };

    /** JSON values as text. */
    static final String[] JSON_VALUES = {
        "1",
        "0",
        "-1",
        "19.99",
        "1.005",
        "1000000",
        "1000000.01",
        "2147483647",
        "2147483648",
        "1e-20000000",
        "1e309",
        "-1e309",
        "1e400",
        "-0",
        "4.5",
        "5.0000000001",
        "99999999999999999999999999999999",
        "\"text\"",
        "\"\"",
        "\"  \"",
        "\"" + "x".repeat(250) + "\"",
        "\"\\u0000\"",
        "\"\\ud800\"",
        "\"\\ud83d\\ude00 emoji\"",
        "\"" + "İ".repeat(26) + "\"",
        "\"<img src=x onerror=alert(1)>\"",
        "\"a,b\"",
        "null",
        "true",
        "[]",
        "[\"new\",\"sale\"]",
        "[\"a,b\"]",
        "[1,2]",
        "{}",
        "{\"a\":{\"b\":1}}",
        "[\"" + "t".repeat(60) + "\"]"
    };

    static final String[] CONTENT_TYPES = {
        "application/json",
        "application/json; charset=UTF-8",
        "application/merge-patch+json",
        "*/*",
        "text/plain",
        "application/json; charset=latin1",
        "application/*",
        "multipart/form-data; boundary=x",
        null
    };

    final Random r = new Random(SEED);
    int created;

    <T> T pick(T[] a) {
        return a[r.nextInt(a.length)];
    }

    String query() {
        StringBuilder q = new StringBuilder();
        for (int n = r.nextInt(4); n > 0; n--) {
            q.append(q.isEmpty() ? "?" : "&").append(pick(PARAMS)).append('=').append(pick(QUERY_VALUES));
        }
        return q.toString();
    }

    String id() {
        return switch (r.nextInt(6)) {
            case 0 -> Integer.toString(1 + r.nextInt(400));
            case 1 -> "%2B1";
            case 2 -> "%D9%A1";
            case 3 -> "00001";
            case 4 -> "abc%0d%0a";
            default -> "99999999999999999999";
        };
    }

    String body() {
        if (r.nextInt(10) == 0) {
            return pick(new String[] {
                "{bad json",
                "[1,2]",
                "{\"a\":1} {\"b\":2}",
                "",
                "[".repeat(100) + "]".repeat(100),
                "{\"name\":1,\"name\":2}",
                "\"just a string\"",
                "{\"name\":\"x"
            });
        }
        StringBuilder b = new StringBuilder("{");
        boolean valid = r.nextInt(3) == 0;
        if (valid) {
            b.append("\"name\":\"Fuzz\",\"description\":\"d\",\"price\":9.99,\"category\":\"Toys\",\"stock\":1,")
                    .append("\"sku\":\"FZ-")
                    .append(r.nextInt(1_000_000))
                    .append("\"");
        }
        for (int n = r.nextInt(4); n > 0; n--) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append('"').append(pick(FIELDS)).append("\":").append(pick(JSON_VALUES));
        }
        return b.append('}').toString();
    }

    RawHttp.Response send(String method, String path, String type, String body) {
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder req = new StringBuilder()
                .append(method)
                .append(' ')
                .append(path)
                .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n")
                // with write rights, so that what is fuzzed is validation, not the 401 in front of it
                .append("X-API-Key: ")
                .append(TestKeys.ADMIN)
                .append("\r\n");
        if (body != null) {
            if (type != null) {
                req.append("Content-Type: ").append(type).append("\r\n");
            }
            req.append("Content-Length: ").append(payload.length).append("\r\n");
        }
        req.append("\r\n");
        byte[] head = req.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + payload.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(payload, 0, all, head.length, payload.length);
        return RawHttp.send(port, all);
    }

    long[] written() throws Exception {
        try (Connection c = DriverManager.getConnection(PG.jdbcUrl(), "postgres", "");
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT (SELECT COUNT(*) FROM products),"
                                + " (SELECT COALESCE(MAX(seq), 0) FROM product_changes)")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    @Test
    void generatedHostileRequestsNeverGetA5xxAndRefusedWritesChangeNothing() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        List<String> failures = new ArrayList<>();
        int errors = 0;
        try {
            for (int i = 0; i < CASES && failures.size() < 20; i++) {
                String method;
                String path;
                String body = null;
                String type = null;
                switch (r.nextInt(8)) {
                    case 0, 1, 2 -> {
                        method = "GET";
                        path = "/api/v1/products" + query();
                    }
                    case 3 -> {
                        method = "GET";
                        path = "/api/v1/products/stats/summary" + query();
                    }
                    case 4 -> {
                        method = "GET";
                        path = "/api/v1/products/" + id();
                    }
                    case 5 -> {
                        method = "POST";
                        path = "/api/v1/products";
                        body = body();
                        type = pick(CONTENT_TYPES);
                    }
                    case 6 -> {
                        method = r.nextBoolean() ? "PUT" : "PATCH";
                        path = "/api/v1/products/" + id();
                        body = body();
                        type = pick(CONTENT_TYPES);
                    }
                    default -> {
                        method = "DELETE";
                        path = "/api/v1/products/" + (r.nextInt(3) == 0 ? id() : "999999");
                    }
                }
                boolean write = !method.equals("GET");
                long[] before = write ? written() : null;
                RawHttp.Response res = send(method, path, type, body);
                String what = method + " " + path + (body == null ? "" : " " + type + " " + body);
                if (res.status() >= 500) {
                    failures.add(res.status() + " for " + what + ": " + res.body());
                    continue;
                }
                if (res.status() >= 400) {
                    errors++;
                    JsonNode p = Http.JSON.readTree(res.body());
                    if (!res.headers().getOrDefault("content-type", "").startsWith("application/problem+json")
                            || p.get("detail") == null
                            || p.get("detail").stringValue().isBlank()) {
                        failures.add("not problem+json with a detail: " + what + " -> " + res.body());
                    }
                    if (write && !java.util.Arrays.equals(before, written())) {
                        failures.add("a refused write changed the database: " + what);
                    }
                } else if (method.equals("POST")) {
                    created++;
                }
            }
        } finally {
            root.detachAppender(log);
        }
        System.out.printf("%d generated requests: %d refused with 4xx, %d products created%n", CASES, errors, created);
        assertThat(failures).isEmpty();
        assertThat(errors).as("most of them are hostile").isGreaterThan(CASES / 2);
        assertThat(created).as("and some are valid").isPositive();
        assertThat(log.list.stream().filter(e -> e.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage))
                .as("ERROR log lines")
                .isEmpty();
    }
}
