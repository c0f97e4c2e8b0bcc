package dev.gridserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Apps;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.text.Normalizer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The second table, served from its schema file alone (schemas/orders.yaml), end to end on PostgreSQL: seeded
 * with --seed-table, every list walked by cursor, its facets and its summary compared with an oracle over the rows
 * read back with plain JDBC; writes, their validation and the unique key through the API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrdersTest {
    static final String[] STATUSES = {"pending", "paid", "shipped", "delivered", "cancelled", "refunded"};

    record Order(
            long id,
            String number,
            String customer,
            String status,
            String country,
            BigDecimal total,
            int items,
            Instant placedAt,
            Boolean gift,
            List<String> tags,
            String note,
            Instant created,
            Instant updated) {}

    final PostgresSchema pg = new PostgresSchema();
    ConfigurableApplicationContext app;
    Http http;
    List<Order> rows;
    final Random rnd = new Random(7);

    @BeforeAll
    void start() throws Exception {
        app = Apps.start(Apps.over(pg, pg.dataDir, "seed-table=orders=3000"));
        http = Apps.http(app);
        rows = load();
    }

    @AfterAll
    void stop() {
        app.close();
        pg.drop();
    }

    private List<Order> load() throws Exception {
        List<Order> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM orders")) {
            while (rs.next()) {
                String tags = rs.getString("tags");
                Object gift = rs.getObject("gift");
                out.add(new Order(
                        rs.getLong("id"),
                        rs.getString("order_number"),
                        rs.getString("customer"),
                        rs.getString("status"),
                        rs.getString("country"),
                        rs.getBigDecimal("total"),
                        rs.getInt("items"),
                        rs.getObject("placed_at", OffsetDateTime.class).toInstant(),
                        gift == null ? null : (Boolean) gift,
                        tags.isEmpty() ? List.of() : Arrays.asList(tags.split(",")),
                        rs.getString("note"),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("updated_at", OffsetDateTime.class).toInstant()));
            }
        }
        return out;
    }

    static String fold(String s) {
        return Normalizer.normalize(s.toLowerCase(Locale.ROOT), Normalizer.Form.NFD)
                .replaceAll("\\p{M}+", "");
    }

    @Test
    void seededFromTheSchemaAlone() {
        assertThat(rows).hasSize(3000);
        JsonNode t = http.get("/api/v1/tables/orders").json();
        assertThat(t.get("path").stringValue()).isEqualTo("/api/v1/orders");
        JsonNode page = http.get("/api/v1/orders?page_size=1").json();
        assertThat(page.get("total").asLong()).isEqualTo(3000);
        JsonNode first = page.get("orders").get(0);
        Order o = rows.stream()
                .filter(r -> r.id == Long.parseLong(first.get("_id").stringValue()))
                .findFirst()
                .orElseThrow();
        assertThat(first.get("order_number").stringValue()).isEqualTo(o.number);
        assertThat(first.get("total").decimalValue()).isEqualByComparingTo(o.total);
        assertThat(Instant.parse(first.get("placed_at").stringValue())).isEqualTo(o.placedAt);
        JsonNode health = http.get("/health").json().get("tables").get("orders");
        assertThat(health.get("ready").booleanValue()).isTrue();
        assertThat(health.get("documents").asLong()).isBetween(2999L, 3001L);
    }

    /** A random request and the rows it selects, by the oracle. */
    record Case(String params, Predicate<Order> matches, Comparator<Order> order) {}

    private Case randomCase() {
        List<String> params = new ArrayList<>();
        List<Predicate<Order>> preds = new ArrayList<>();
        if (rnd.nextInt(3) == 0) {
            String a = STATUSES[rnd.nextInt(STATUSES.length)];
            String b = STATUSES[rnd.nextInt(STATUSES.length)];
            params.add("status=" + a.toUpperCase(Locale.ROOT) + "&status=" + b);
            preds.add(o -> o.status.equals(a) || o.status.equals(b));
        }
        if (rnd.nextInt(3) == 0) {
            Order any = rows.get(rnd.nextInt(rows.size()));
            params.add("country=" + enc(any.country.toLowerCase(Locale.ROOT)));
            preds.add(o -> fold(o.country).equals(fold(any.country)));
        }
        if (rnd.nextInt(4) == 0) {
            String tag = List.of("express", "vip", "eco", "b2b").get(rnd.nextInt(4));
            params.add("tags=" + tag);
            preds.add(o -> o.tags.contains(tag));
        }
        if (rnd.nextInt(5) == 0) {
            boolean g = rnd.nextBoolean();
            params.add("gift=" + g);
            preds.add(o -> o.gift != null && o.gift == g);
        }
        if (rnd.nextInt(3) == 0) {
            BigDecimal min = BigDecimal.valueOf(rnd.nextInt(300_000), 3);
            params.add("min_total=" + min.toPlainString());
            preds.add(o -> o.total.compareTo(min) >= 0);
        }
        if (rnd.nextInt(4) == 0) {
            int max = 1 + rnd.nextInt(8);
            params.add("max_items=" + max);
            preds.add(o -> o.items <= max);
        }
        if (rnd.nextInt(4) == 0) {
            LocalDate day = LocalDate.of(2025, 1, 1).plusDays(rnd.nextInt(600));
            params.add("max_placed_at=" + day);
            Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            preds.add(o -> o.placedAt.isBefore(end));
        }
        if (rnd.nextInt(3) == 0) {
            Order any = rows.get(rnd.nextInt(rows.size()));
            String name = fold(any.customer);
            String term = name.substring(rnd.nextInt(Math.max(1, name.length() - 3)));
            term = term.strip().split(" ")[0];
            if (!term.isEmpty()) {
                params.add("search=" + enc(term));
                String t = term;
                preds.add(o -> fold(o.customer).contains(t)
                        || fold(o.number).contains(t)
                        || (o.note != null && fold(o.note).contains(t)));
            }
        }
        List<String> sortable =
                List.of("customer", "status", "country", "total", "items", "placed_at", "created_at", "updated_at");
        List<String> keys = new ArrayList<>();
        Comparator<Order> cmp = null;
        boolean firstDesc = true;
        int n = rnd.nextInt(3);
        if (n == 0) {
            cmp = Comparator.comparing(Order::created).reversed(); // the default: newest first
        } else {
            for (int i = 0; i < n; i++) {
                String f = sortable.get(rnd.nextInt(sortable.size()));
                if (keys.stream().anyMatch(k -> k.startsWith(f + ":"))) {
                    continue;
                }
                boolean desc = rnd.nextBoolean();
                if (keys.isEmpty()) {
                    firstDesc = desc;
                }
                keys.add(f + ":" + (desc ? "desc" : "asc"));
                Comparator<Order> k = key(f);
                cmp = cmp == null ? (desc ? k.reversed() : k) : cmp.thenComparing(desc ? k.reversed() : k);
            }
            params.add("sort=" + String.join(",", keys));
        }
        Comparator<Order> byId = Comparator.comparingLong(Order::id);
        cmp = cmp.thenComparing(firstDesc ? byId.reversed() : byId);
        params.add("page_size=" + (1 + rnd.nextInt(400)));
        return new Case(String.join("&", params), o -> preds.stream().allMatch(p -> p.test(o)), cmp);
    }

    private static Comparator<Order> key(String field) {
        return switch (field) {
            case "customer" -> (a, b) -> utf8(fold(a.customer), fold(b.customer));
            case "status" -> (a, b) -> utf8(fold(a.status), fold(b.status));
            case "country" -> (a, b) -> utf8(fold(a.country), fold(b.country));
            case "total" -> Comparator.comparing(Order::total);
            case "items" -> Comparator.comparingInt(Order::items);
            case "placed_at" -> Comparator.comparing(Order::placedAt);
            case "created_at" -> Comparator.comparing(Order::created);
            default -> Comparator.comparing(Order::updated);
        };
    }

    private static int utf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void everyListWalkedByCursorMatchesTheOracleAndSoDoItsFacetsAndSummary() {
        for (int i = 0; i < 60; i++) {
            Case c = randomCase();
            List<Order> expected =
                    rows.stream().filter(c.matches()).sorted(c.order()).toList();
            List<Long> got = new ArrayList<>();
            String url = "/api/v1/orders?" + c.params() + "&facets=status,tags,gift";
            JsonNode first = null;
            for (int pages = 0; pages < 5000 && url != null; pages++) {
                Http.Response r = http.get(url);
                assertThat(r.status()).as(url + " " + r.raw()).isEqualTo(200);
                JsonNode body = r.json();
                if (first == null) {
                    first = body;
                }
                body.get("orders")
                        .forEach(o -> got.add(Long.parseLong(o.get("_id").stringValue())));
                String next = body.get("next_cursor").isNull()
                        ? null
                        : body.get("next_cursor").stringValue();
                url = next == null ? null : "/api/v1/orders?" + c.params() + "&cursor=" + next;
            }
            assertThat(got)
                    .as(c.params())
                    .containsExactlyElementsOf(expected.stream().map(Order::id).toList());
            assertThat(first.get("total").asLong()).as(c.params()).isEqualTo(expected.size());
            assertThat(counts(first.get("facets").get("status")))
                    .as(c.params())
                    .isEqualTo(count(expected, o -> List.of(o.status)));
            assertThat(counts(first.get("facets").get("tags"))).as(c.params()).isEqualTo(count(expected, o -> o.tags));
            assertThat(counts(first.get("facets").get("gift")))
                    .as(c.params())
                    .isEqualTo(count(expected, o -> o.gift == null ? List.of() : List.of(o.gift.toString())));
            if (i % 4 == 0) {
                String q = c.params().replaceAll("(^|&)(sort|page_size)=[^&]*", "");
                JsonNode s = http.get("/api/v1/orders/stats/summary?" + q).json();
                assertThat(s.get("total").asLong()).as(q).isEqualTo(expected.size());
                BigDecimal sum = expected.stream().map(Order::total).reduce(BigDecimal.ZERO, BigDecimal::add);
                assertThat(s.get("fields").get("total").get("sum").decimalValue())
                        .as(q)
                        .isEqualByComparingTo(sum);
                assertThat(s.get("fields").get("items").get("sum").asLong())
                        .as(q)
                        .isEqualTo(expected.stream().mapToLong(Order::items).sum());
                Map<String, Long> byStatus = new TreeMap<>();
                s.get("by")
                        .get("groups")
                        .forEach(g -> byStatus.put(
                                g.get("value").stringValue(), g.get("count").asLong()));
                assertThat(byStatus).as(q).isEqualTo(count(expected, o -> List.of(o.status)));
            }
        }
    }

    private static Map<String, Long> counts(JsonNode facet) {
        Map<String, Long> out = new TreeMap<>();
        facet.forEach(f -> out.put(f.get("value").stringValue(), f.get("count").asLong()));
        return out;
    }

    private static Map<String, Long> count(List<Order> rows, java.util.function.Function<Order, List<String>> values) {
        Map<String, Long> out = new TreeMap<>();
        rows.forEach(o -> values.apply(o).stream().distinct().forEach(v -> out.merge(v, 1L, Long::sum)));
        return out;
    }

    @Test
    void writesAreValidatedOnceAndSeenByTheNextRead() {
        String body =
                "{\"order_number\":\"T-100\",\"customer\":\"Zoë Quist\",\"status\":\"paid\",\"country\":\"Iceland\","
                        + "\"total\":12.5,\"items\":3,\"placed_at\":\"2026-11-20T10:00:00Z\",\"tags\":[\"vip\"]}";
        Http.Response created = http.post("/api/v1/orders", body);
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String id = created.json().get("_id").stringValue();
        assertThat(created.header("Location")).isEqualTo("/api/v1/orders/" + id);
        assertThat(created.raw()).contains("\"total\":12.50", "\"gift\":null", "\"tags\":[\"vip\"]");
        // read-your-write: the next search on this instance finds it
        JsonNode found = http.get("/api/v1/orders?search=quist&country=iceland").json();
        assertThat(found.get("total").asLong()).isEqualTo(1);
        assertThat(http.anonymous().post("/api/v1/orders", body).status()).isEqualTo(401);
        Http.Response dup = http.post("/api/v1/orders", body.replace("T-100", "t-100"));
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.json().get("detail").stringValue()).contains("order_number");
        Http.Response bad = http.post(
                "/api/v1/orders",
                "{\"order_number\":\"T-2\",\"customer\":\" \",\"status\":\"lost\",\"country\":\"X\",\"total\":1.234,"
                        + "\"items\":0,\"placed_at\":\"soon\",\"tags\":[\"a,b\"],\"colour\":\"red\"}");
        assertThat(bad.status()).isEqualTo(422);
        List<String> fields = new ArrayList<>();
        bad.json().get("errors").forEach(e -> fields.add(e.get("field").stringValue()));
        assertThat(fields)
                .containsExactlyInAnyOrder("colour", "customer", "status", "total", "items", "placed_at", "tags");
        assertThat(http.post("/api/v1/orders", "{\"order_number\":\"T-3\"}")
                        .json()
                        .get("errors")
                        .size())
                .as("every required field is named")
                .isEqualTo(6);
        Http.Response updated = http.put("/api/v1/orders/" + id, "{\"status\":\"shipped\",\"gift\":true}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("customer").stringValue()).isEqualTo("Zoë Quist");
        assertThat(http.get("/api/v1/orders?status=shipped&gift=true&search=quist")
                        .json()
                        .get("total")
                        .asLong())
                .isEqualTo(1);
        assertThat(http.get("/api/v1/orders/" + id + "/history")
                        .json()
                        .get("history")
                        .size())
                .isEqualTo(2);
        assertThat(http.delete("/api/v1/orders/" + id).status()).isEqualTo(204);
        assertThat(http.get("/api/v1/orders/" + id).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/orders?search=quist").json().get("total").asLong())
                .isZero();
    }

    @Test
    void badRequestsAreClearAndNeverServerErrors() {
        for (String q : List.of(
                "min_total=-1",
                "min_total=abc",
                "min_items=5&max_items=1",
                "gift=maybe",
                "status=lost",
                "sort_by=note",
                "sort=total:up",
                "min_placed_at=yesterday",
                "facets=total",
                "fields=secret",
                "min_totl=3")) {
            Http.Response r = http.get("/api/v1/orders?" + q);
            assertThat(r.status()).as(q).isEqualTo(422);
            assertThat(r.json().get("detail").stringValue()).as(q).isNotBlank();
        }
        assertThat(http.get("/api/v1/orders?min_totl=3").json().get("detail").stringValue())
                .contains("did you mean 'min_total'?");
        assertThat(http.get("/api/v1/no_such_table").status()).isEqualTo(404);
        assertThat(http.get("/api/v1/orders/abc").status()).isEqualTo(400);
        assertThat(http.get("/api/v1/orders?cursor=xyz").status()).isEqualTo(400);
    }

    @Test
    void theOpenApiDocumentIsTypedPerTable() {
        JsonNode doc = http.get("/openapi.json").json();
        JsonNode paths = doc.get("paths");
        List<String> names = new ArrayList<>();
        paths.propertyNames().forEach(names::add);
        assertThat(names).contains("/api/v1/orders", "/api/v1/orders/{id}", "/api/v1/orders/stats/summary");
        assertThat(names).noneMatch(p -> p.contains("{table}"));
        Map<String, JsonNode> params = new TreeMap<>();
        paths.get("/api/v1/orders")
                .get("get")
                .get("parameters")
                .forEach(p -> params.put(p.get("name").stringValue(), p));
        assertThat(params.get("min_total").get("schema").get("type").stringValue())
                .isEqualTo("number");
        assertThat(params.get("max_items").get("schema").get("type").stringValue())
                .isEqualTo("integer");
        assertThat(params.get("min_placed_at").get("schema").get("format").stringValue())
                .isEqualTo("date-time");
        List<String> statuses = new ArrayList<>();
        params.get("status").get("schema").get("items").get("enum").forEach(v -> statuses.add(v.stringValue()));
        assertThat(statuses).containsExactly(STATUSES);
        List<String> sorts = new ArrayList<>();
        params.get("sort_by").get("schema").get("enum").forEach(v -> sorts.add(v.stringValue()));
        assertThat(sorts).contains("total", "customer", "relevance").doesNotContain("note", "tags");
        JsonNode write = doc.get("components").get("schemas").get("OrdersWrite");
        List<String> required = new ArrayList<>();
        write.get("required").forEach(v -> required.add(v.stringValue()));
        assertThat(required)
                .containsExactlyInAnyOrder(
                        "order_number", "customer", "status", "country", "total", "items", "placed_at");
        assertThat(write.get("properties").has("created_at"))
                .as("set by the service")
                .isFalse();
        assertThat(paths.get("/api/v1/orders").get("post").get("requestBody").toString())
                .contains("OrdersWrite");
        // products: the same types for its own endpoints
        Map<String, JsonNode> p = new TreeMap<>();
        paths.get("/api/v1/products")
                .get("get")
                .get("parameters")
                .forEach(x -> p.put(x.get("name").stringValue(), x));
        assertThat(p.get("min_price").get("schema").get("type").stringValue()).isEqualTo("number");
        assertThat(paths.get("/api/v1/products").get("post").get("requestBody").toString())
                .contains("ProductsWrite");
    }

    /** Polls the API until {@code query} has {@code total} rows; fails after 10 s. */
    private void awaitTotal(String query, long total) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (http.get("/api/v1/orders?" + query).json().get("total").asLong() == total) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(http.get("/api/v1/orders?" + query).json().get("total").asLong())
                .as(query)
                .isEqualTo(total);
    }

    @Test
    void writesMadeDirectlyInPostgresqlAreFollowed() throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "");
                Statement s = c.createStatement()) {
            // only the row's own fields: id, key, timestamps and version are the trigger's
            s.executeUpdate("INSERT INTO orders (order_number, customer, status, country, total, items, placed_at)"
                    + " VALUES ('SQL-1', 'Plain Sql', 'paid', 'Oman', 12.34, 2, now())");
            awaitTotal("search=plain%20sql", 1);
            JsonNode row = http.get("/api/v1/orders?search=plain%20sql")
                    .json()
                    .get("orders")
                    .get(0);
            String id = row.get("_id").stringValue();
            assertThat(http.get("/api/v1/orders/" + id + "/history")
                            .json()
                            .get("history")
                            .get(0)
                            .get("actor")
                            .stringValue())
                    .isEqualTo("sql:postgres");
            Http.Response dup = http.post("/api/v1/orders", order("sql-1"));
            assertThat(dup.status()).as("the unique key the trigger filled").isEqualTo(409);
            s.executeUpdate("UPDATE orders SET status = 'refunded' WHERE order_number = 'SQL-1'");
            awaitTotal("search=plain%20sql&status=refunded", 1);
            s.executeUpdate("DELETE FROM orders WHERE order_number = 'SQL-1'");
            awaitTotal("search=plain%20sql", 0);
        }
    }

    private static String order(String number) {
        return "{\"order_number\":\"" + number + "\",\"customer\":\"X\",\"status\":\"paid\",\"country\":\"Oman\","
                + "\"total\":1,\"items\":1,\"placed_at\":\"2026-11-20T10:00:00Z\"}";
    }
}
