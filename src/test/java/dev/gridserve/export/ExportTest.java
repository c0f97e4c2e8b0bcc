package dev.gridserve.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import dev.gridserve.support.ProductFields;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Exports against the list API as the oracle: the same parameters walked page by page with cursors give the rows
 * an export must hold, in the same order. CSV is read back with a parser written here (RFC 4180), XLSX with
 * fastexcel's reader, NDJSON line by line.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExportTest {
    static final PostgresSchema PG = new PostgresSchema();
    static final List<String> COLUMNS = ProductFields.WIRE;
    static final HttpClient CLIENT = HttpClient.newHttpClient();
    /** Numbers as written (12.50 stays 12.50), as a CSV cell should give them. */
    static final tools.jackson.databind.json.JsonMapper EXACT = tools.jackson.databind.json.JsonMapper.builder()
            .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        PG.register(r);
        r.add("gridserve.data.seed-on-empty", () -> "20000");
        r.add("gridserve.export.max-concurrent", () -> "1");
    }

    @AfterAll
    static void drop() {
        PG.drop();
    }

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    @Test
    void aClientThatHangsUpMidExportIsNotAServerError() throws Exception {
        // a download cancelled in the browser, or wrk stopping: the write fails with a broken pipe, which is
        // nobody's error to report (it was counted and logged as a 500)
        for (int i = 0; i < 3; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                s.getOutputStream()
                        .write("GET /api/v1/products/export?format=ndjson HTTP/1.1\r\nHost: t\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                assertThat(s.getInputStream().readNBytes(200)).hasSize(200);
                s.setSoLinger(true, 0); // closes with a reset, as a killed client does
            }
            // one export at a time here: the next one starts once the server has given up the aborted one
            long deadline = System.currentTimeMillis() + 10_000;
            while (export("format=csv&fields=_id").statusCode() != 200) {
                assertThat(System.currentTimeMillis()).isLessThan(deadline);
                Thread.sleep(50);
            }
        }
        io.micrometer.core.instrument.Counter errors =
                meters.find("gridserve.http.problems").tag("status", "500").counter();
        assertThat(errors == null ? 0 : errors.count()).isZero();
    }

    /** The rows the list API gives for {@code params}, every page, in order. */
    List<JsonNode> listed(String params) {
        List<JsonNode> out = new ArrayList<>();
        String url = "/api/v1/products?page_size=1000&" + params;
        JsonNode page = EXACT.readTree(http.get(url).raw());
        while (true) {
            page.get("products").forEach(out::add);
            if (page.get("next_cursor").isNull()) {
                return out;
            }
            page = EXACT.readTree(
                    http.get(url + "&cursor=" + page.get("next_cursor").stringValue())
                            .raw());
        }
    }

    HttpResponse<byte[]> export(String params) throws Exception {
        return CLIENT.send(
                HttpRequest.newBuilder(http.uri("/api/v1/products/export?" + params))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** What a CSV cell must say for a JSON value: written independently of the production code. */
    static String expectedCell(String column, JsonNode v) {
        if (v == null || v.isNull()) {
            return "";
        }
        String text;
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(i -> items.add(i.stringValue()));
            text = String.join(",", items);
        } else {
            text = v.isString() ? v.stringValue() : v.toString();
        }
        boolean number = List.of("price", "stock", "rating", "reviews_count").contains(column);
        if (!number && !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            return "'" + text;
        }
        return text;
    }

    /** RFC 4180: fields separated by commas, records by CRLF, quoted fields with doubled quotes inside. */
    static List<List<String>> parseCsv(String s) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                cell.append(c);
            }
        }
        if (!row.isEmpty() || cell.length() > 0) {
            row.add(cell.toString());
            rows.add(row);
        }
        return rows;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void csvHoldsWhatTheListHoldsInItsOrderWithFormulasNeutralised() throws Exception {
        for (String[] p : new String[][] {
            {"=HYPERLINK(\"http://evil.example\",\"click\")", "+1 555 \"quoted\", with comma", "EXP-EQ"},
            {"@SUM(A1:A2)", "-2 first line\r\nsecond line", "EXP-AT"},
            {"Tabbed, name", "plain", "EXP-TAB"},
        }) {
            Http.Response r = http.post(
                    "/api/v1/products",
                    Http.JSON
                            .createObjectNode()
                            .put("name", p[0])
                            .put("description", p[1])
                            .put("price", 12.5)
                            .put("category", "Exported")
                            .put("stock", 3)
                            .put("sku", p[2])
                            .put("brand", "-Brand")
                            .toString());
            assertThat(r.status()).as(r.raw()).isEqualTo(201);
        }
        for (String params : List.of(
                "category=Exported&sort=name:asc",
                "category=Electronics&category=Books&min_price=10&max_price=300&sort=stock:asc,price:desc",
                "search=" + enc("pro") + "&sort_by=relevance",
                "tags=sale&min_rating=3&sort_by=name&sort_order=desc")) {
            List<JsonNode> expected = listed(params);
            HttpResponse<byte[]> res = export(params);
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.headers().firstValue("content-type").orElse("")).startsWith("text/csv");
            assertThat(res.headers().firstValue("content-disposition").orElse(""))
                    .matches("attachment; filename=\"products-\\d{8}-\\d{6}\\.csv\"");
            assertThat(res.headers().firstValue("x-total-count").orElse(""))
                    .isEqualTo(Integer.toString(expected.size()));
            List<List<String>> rows = parseCsv(new String(res.body(), StandardCharsets.UTF_8));
            assertThat(rows.getFirst()).isEqualTo(COLUMNS);
            assertThat(rows).as(params).hasSize(expected.size() + 1);
            for (int i = 0; i < expected.size(); i++) {
                List<String> want = new ArrayList<>();
                for (String c : COLUMNS) {
                    want.add(expectedCell(c, expected.get(i).get(c)));
                }
                assertThat(rows.get(i + 1)).as(params + " row " + i).isEqualTo(want);
            }
            assertThat(expected).as("the cases are not empty").isNotEmpty();
        }
        Map<String, List<String>> bySku = new java.util.HashMap<>();
        parseCsv(new String(export("category=Exported").body(), StandardCharsets.UTF_8))
                .forEach(row -> bySku.put(row.get(6), row));
        assertThat(bySku.get("EXP-EQ").get(1)).isEqualTo("'=HYPERLINK(\"http://evil.example\",\"click\")");
        assertThat(bySku.get("EXP-EQ").get(2)).isEqualTo("'+1 555 \"quoted\", with comma");
        assertThat(bySku.get("EXP-AT").get(1)).isEqualTo("'@SUM(A1:A2)");
        assertThat(bySku.get("EXP-AT").get(2)).isEqualTo("'-2 first line\r\nsecond line");
        assertThat(bySku.get("EXP-TAB").get(1)).as("quoted, not neutralised").isEqualTo("Tabbed, name");
        assertThat(bySku.get("EXP-TAB").get(7)).isEqualTo("'-Brand");
        assertThat(bySku.get("EXP-TAB").get(3)).as("numbers are left alone").isEqualTo("12.50");
    }

    @Test
    void bomOnlyWhenAskedAndProjectionNarrowsTheColumns() throws Exception {
        byte[] plain = export("fields=name,price&category=Books").body();
        byte[] bom = export("fields=name,price&category=Books&bom=true").body();
        assertThat(plain[0]).isNotEqualTo((byte) 0xEF);
        assertThat(new byte[] {bom[0], bom[1], bom[2]}).isEqualTo(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        assertThat(java.util.Arrays.copyOfRange(bom, 3, bom.length)).isEqualTo(plain);
        assertThat(parseCsv(new String(plain, StandardCharsets.UTF_8)).getFirst())
                .containsExactly("_id", "name", "price");
    }

    @Test
    void ndjsonIsTheListsRowsLineByLine() throws Exception {
        for (String params : List.of("category=Books&sort=price:asc,name:asc", "fields=sku,stock&max_stock=5")) {
            List<JsonNode> expected = listed(params);
            HttpResponse<byte[]> res = export("format=ndjson&" + params);
            assertThat(res.headers().firstValue("content-type").orElse("")).startsWith("application/x-ndjson");
            List<JsonNode> lines = new String(res.body(), StandardCharsets.UTF_8)
                    .lines()
                    .map(l -> EXACT.readTree(l))
                    .toList();
            assertThat(lines).as(params).isEqualTo(expected);
        }
    }

    @Test
    void xlsxHoldsTheRowsWithNumbersAsNumbers() throws Exception {
        String params = "category=Sports&sort=price:desc";
        List<JsonNode> expected = listed(params);
        HttpResponse<byte[]> res = export("format=xlsx&" + params);
        assertThat(res.statusCode()).isEqualTo(200);
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(res.body()));
                Stream<Row> rows = wb.getFirstSheet().openStream()) {
            List<Row> all = rows.toList();
            assertThat(all).hasSize(expected.size() + 1);
            assertThat(all.getFirst().getCellText(1)).isEqualTo("name");
            for (int i = 0; i < expected.size(); i++) {
                Row row = all.get(i + 1);
                JsonNode p = expected.get(i);
                assertThat(row.getCellText(0)).isEqualTo(p.get("_id").stringValue());
                assertThat(row.getCellText(1)).isEqualTo(p.get("name").stringValue());
                assertThat(row.getCellAsNumber(3).orElseThrow())
                        .isEqualByComparingTo(p.get("price").decimalValue());
            }
        }
    }

    @Test
    void badParametersAre422() throws Exception {
        for (String params : List.of("format=pdf", "bom=maybe", "sort_by=color", "min_price=x")) {
            HttpResponse<byte[]> res = export(params);
            assertThat(res.statusCode()).as(params).isEqualTo(422);
            assertThat(res.headers().firstValue("content-type").orElse("")).startsWith("application/problem+json");
        }
    }

    @Test
    void anExportIsOneViewOfTheDataAndTheirNumberIsLimited() throws Exception {
        List<JsonNode> all = listed("sort_by=price&sort_order=asc");
        String last = all.getLast().get("_id").stringValue();
        HttpResponse<InputStream> running = CLIENT.send(
                HttpRequest.newBuilder(http.uri("/api/v1/products/export?format=ndjson&sort_by=price&sort_order=asc"))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = running.body()) {
            assertThat(body.readNBytes(1024)).hasSize(1024);

            HttpResponse<byte[]> second = export("format=ndjson");
            assertThat(second.statusCode()).as("one export at a time here").isEqualTo(503);
            assertThat(second.headers().firstValue("retry-after")).isPresent();

            assertThat(http.delete("/api/v1/products/" + last).status()).isEqualTo(204);
            assertThat(http.get("/api/v1/products/" + last).status()).isEqualTo(404);

            List<String> ids = new ArrayList<>();
            String rest = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            rest.lines()
                    .skip(1)
                    .forEach(l -> ids.add(Http.JSON.readTree(l).get("_id").stringValue()));
            assertThat(ids)
                    .as("the export still sees the row deleted while it ran")
                    .contains(last);
        }
        HttpResponse<byte[]> after = export("format=ndjson&sort_by=price&sort_order=asc");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(new String(after.body(), StandardCharsets.UTF_8)).doesNotContain("\"_id\":\"" + last + "\"");
    }
}
