package dev.gridserve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Every endpoint and rule over HTTP against the real PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiTest {
    static final PostgresSchema PG = new PostgresSchema();

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        PG.register(r);
        r.add("gridserve.query.result-window", () -> "1000");
    }

    @AfterAll
    static void drop() {
        PG.drop();
    }

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    static String body(String sku, String name, String price) {
        return """
                {"name":"%s","description":"A fine thing for testing","price":%s,"category":"Testing",
                 "stock":3,"sku":"%s","brand":"Acme","rating":4.5,"reviews_count":10,"tags":["Blue","red","blue"]}
                """.formatted(name, price, sku);
    }

    JsonNode create(String sku, String name, String price) {
        Http.Response r = http.post("/api/v1/products", body(sku, name, price));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.json();
    }

    @Test
    void createGetUpdateDeleteRoundTrip() {
        Http.Response created = http.post("/api/v1/products", body("CRUD-1", "Round Trip Widget", "19.90"));
        assertThat(created.status()).isEqualTo(201);
        JsonNode p = created.json();
        String id = p.get("_id").stringValue();
        assertThat(created.header("Location")).isEqualTo("/api/v1/products/" + id);
        assertThat(p.get("price").decimalValue()).isEqualByComparingTo("19.90");
        assertThat(p.get("tags").toString()).isEqualTo("[\"blue\",\"red\"]");
        assertThat(p.get("created_at").stringValue()).endsWith("Z");

        Http.Response got = http.get("/api/v1/products/" + id);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json()).isEqualTo(p);

        // partial update: only price changes; brand cleared explicitly
        Http.Response put = http.put("/api/v1/products/" + id, "{\"price\": 25, \"brand\": null}");
        assertThat(put.status()).as(put.raw()).isEqualTo(200);
        assertThat(put.json().get("price").decimalValue()).isEqualByComparingTo("25");
        assertThat(put.json().get("name").stringValue()).isEqualTo("Round Trip Widget");
        assertThat(put.json().get("brand").isNull()).isTrue();
        assertThat(put.json().get("created_at")).isEqualTo(p.get("created_at"));

        Http.Response patch = http.patch("/api/v1/products/" + id, "{\"stock\": 0}");
        assertThat(patch.status()).isEqualTo(200);
        assertThat(patch.json().get("stock").asInt()).isZero();
        assertThat(patch.json().get("price").decimalValue()).isEqualByComparingTo("25");

        // the write is visible to the very next list
        JsonNode listed = http.get("/api/v1/products?search=round%20trip").json();
        assertThat(listed.get("total").asLong()).isEqualTo(1);
        assertThat(listed.get("products").get(0).get("stock").asInt()).isZero();

        assertThat(http.delete("/api/v1/products/" + id).status()).isEqualTo(204);
        assertThat(http.get("/api/v1/products/" + id).status()).isEqualTo(404);
        assertThat(http.delete("/api/v1/products/" + id).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/products?search=round%20trip")
                        .json()
                        .get("total")
                        .asLong())
                .isZero();
    }

    @Test
    void duplicateSkuIsConflictCaseInsensitively() {
        create("DUP-1", "First", "1");
        Http.Response r = http.post("/api/v1/products", body("dup-1", "Second", "2"));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("detail").stringValue()).contains("dup-1");
        JsonNode other = create("DUP-2", "Third", "3");
        Http.Response u = http.put("/api/v1/products/" + other.get("_id").stringValue(), "{\"sku\":\"Dup-1\"}");
        assertThat(u.status()).isEqualTo(409);
    }

    @Test
    void invalidBodiesAre422WithOneEntryPerField() {
        Http.Response r = http.post(
                "/api/v1/products",
                "{\"name\":\"\",\"price\":0,\"stock\":-1,\"rating\":6,\"tags\":[\"a,b\"],\"unknown\":1}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        Set<String> fields = new HashSet<>();
        r.json().get("errors").forEach(e -> fields.add(e.get("field").stringValue()));
        assertThat(fields)
                .containsExactlyInAnyOrder(
                        "name", "description", "price", "category", "stock", "sku", "rating", "tags", "unknown");
        assertThat(r.json().get("detail").stringValue()).endsWith(".");

        assertThat(http.post("/api/v1/products", body("P3", "x", "1.999")).status())
                .isEqualTo(422);
        assertThat(http.post("/api/v1/products", body("P4", "x", "1000000.01")).status())
                .isEqualTo(422);
        assertThat(http.post("/api/v1/products", body("P5", "x", "\"12\"")).status())
                .isEqualTo(422);
        assertThat(http.post("/api/v1/products", body("P6", "x", "1000000")).status())
                .isEqualTo(201);
        assertThat(http.post("/api/v1/products", body("P7", "nul\\u0000byte", "1"))
                        .status())
                .isEqualTo(422);
        assertThat(http.post("/api/v1/products", body("P8", "lone\\ud800", "1")).status())
                .isEqualTo(422);
        assertThat(http.post("/api/v1/products", body("P9", "emoji \\ud83d\\ude00 ok", "1"))
                        .status())
                .isEqualTo(201);
    }

    @Test
    void malformedInputIs4xxNeverServerError() {
        assertThat(http.post("/api/v1/products", "{bad json").status()).isEqualTo(400);
        assertThat(http.post("/api/v1/products", "[1,2]").status()).isEqualTo(400);
        assertThat(http.post("/api/v1/products", "{\"a\":1} trailing").status()).isEqualTo(400);
        assertThat(http.post("/api/v1/products", "").status()).isEqualTo(400);
        assertThat(http.get("/api/v1/products/abc").status()).isEqualTo(400);
        assertThat(http.get("/api/v1/products/-5").status()).isEqualTo(400);
        assertThat(http.get("/api/v1/products/99999999999999999999").status()).isEqualTo(400);
        assertThat(http.get("/api/v1/products/424242").status()).isEqualTo(404);
        assertThat(http.put("/api/v1/products/424242", "{\"stock\":1}").status())
                .isEqualTo(404);
        Http.Response text = http.send(HttpRequest.newBuilder(http.uri("/api/v1/products"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")));
        assertThat(text.status()).isEqualTo(415);
        String huge = "{\"name\":\"" + "x".repeat(70_000) + "\"}";
        Http.Response big = http.post("/api/v1/products", huge);
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.json().get("detail").stringValue()).contains("65536");
        assertThat(http.get("/api/v1/nothing-here").status()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(http.uri("/api/v1/products/stats/summary"))
                                .DELETE())
                        .status())
                .isEqualTo(405);
    }

    @Test
    void badQueryValuesAre422AndUnknownParamsIgnored() {
        for (String q : List.of(
                "page=0",
                "page=x",
                "page_size=0",
                "page_size=1001",
                "min_price=-1",
                "min_price=abc",
                "min_price=10&max_price=5",
                "min_stock=5&max_stock=1",
                "min_rating=6",
                "sort_by=color",
                "sort_order=up",
                "sort_by=relevance",
                "fields=password",
                "facets=price",
                "search=" + "a".repeat(201),
                "search=" + "b".repeat(65),
                "sort=color:asc",
                "sort=price:up",
                "sort=price:asc,price:desc",
                "sort=price,name,stock,rating",
                "sort=price:asc,",
                "sort=price:asc:desc",
                "sort=price:asc,relevance:desc&search=lap",
                "sort=relevance",
                "sort=price:asc&sort_by=name",
                "sort=price:asc&sort_order=asc")) {
            Http.Response r = http.get("/api/v1/products?" + q);
            assertThat(r.status()).as(q).isEqualTo(422);
            assertThat(r.json().get("detail").stringValue()).as(q).isNotBlank();
        }
        assertThat(http.get("/api/v1/products?cursor=garbage!").status()).isEqualTo(400);
        assertThat(http.get("/api/v1/products?_=1732600000000").status())
                .as("a client's cache-buster is harmless")
                .isEqualTo(200);
    }

    @Test
    void unknownParametersAre422NamingTheNearestKnownOne() {
        Http.Response typo = http.get("/api/v1/products?min_prce=100");
        assertThat(typo.status()).isEqualTo(422);
        assertThat(typo.json().get("detail").stringValue())
                .isEqualTo("'min_prce' is not a parameter of this endpoint; did you mean 'min_price'?");
        assertThat(http.get("/api/v1/products/stats/summary?categroy=Books")
                        .json()
                        .get("detail")
                        .stringValue())
                .isEqualTo("'categroy' is not a parameter of this endpoint; did you mean 'category'?");
        Http.Response two = http.get("/api/v1/products?utm_source=x&sortby=price");
        assertThat(two.status()).isEqualTo(422);
        assertThat(two.json().get("detail").stringValue()).startsWith("The request has 2 unknown parameters: ");
        List<String> messages = new ArrayList<>();
        two.json()
                .get("errors")
                .forEach(e -> messages.add(
                        e.get("field").stringValue() + " " + e.get("message").stringValue()));
        assertThat(messages)
                .containsExactlyInAnyOrder(
                        "utm_source is not a parameter of this endpoint",
                        "sortby is not a parameter of this endpoint; did you mean 'sort_by'?");
        assertThat(http.get("/api/v1/products/export?formt=csv")
                        .json()
                        .get("detail")
                        .stringValue())
                .isEqualTo("'formt' is not a parameter of this endpoint; did you mean 'format'?");
        assertThat(http.get("/api/v1/products?tags[]=sale&category[]=Books").status())
                .as("list parameters in the name[] spelling")
                .isEqualTo(200);
    }

    @Test
    void resultWindowPointsToCursor() {
        Http.Response r = http.get("/api/v1/products?page=11&page_size=100");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("detail").stringValue()).contains("cursor");
        assertThat(http.get("/api/v1/products?page=10&page_size=100").status()).isEqualTo(200);
    }

    @Test
    void cursorOfAnotherSortIsRejected() {
        for (int i = 0; i < 3; i++) {
            create("CUR-" + i, "Cursor item " + i, "1" + i);
        }
        String next = http.get("/api/v1/products?page_size=1&sort_by=price")
                .json()
                .get("next_cursor")
                .stringValue();
        assertThat(http.get("/api/v1/products?page_size=1&sort_by=price&cursor=" + next)
                        .status())
                .isEqualTo(200);
        Http.Response r = http.get("/api/v1/products?page_size=1&sort_by=name&cursor=" + next);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("detail").stringValue()).contains("cursor");
    }

    @Test
    void aOneKeySortIsTheSameWhicheverWayItIsWrittenAndCursorsKeepTheirSort() {
        for (int i = 0; i < 3; i++) {
            create("MS-" + i, "Multi sort item " + i, "2" + i);
        }
        Http.Response old = http.get("/api/v1/products?page_size=2&sort_by=price&sort_order=asc");
        Http.Response same = http.get("/api/v1/products?page_size=2&sort=price:asc");
        assertThat(same.raw())
                .as("sort=price:asc is sort_by=price&sort_order=asc")
                .isEqualTo(old.raw());
        String v1 = old.json().get("next_cursor").stringValue();
        assertThat(new String(java.util.Base64.getUrlDecoder().decode(v1))).startsWith("1|price|a|2|");

        String multi = http.get("/api/v1/products?page_size=2&sort=price:asc,name:desc")
                .json()
                .get("next_cursor")
                .stringValue();
        assertThat(http.get("/api/v1/products?page_size=2&sort=price:asc,name:desc&cursor=" + multi)
                        .status())
                .isEqualTo(200);
        Http.Response other = http.get("/api/v1/products?page_size=2&sort=price:asc,name:asc&cursor=" + multi);
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.json().get("errors").get(0).get("message").stringValue())
                .isEqualTo("was issued for sort=price:asc,name:desc; send the same sort with it");
        assertThat(http.get("/api/v1/products?page_size=2&sort_by=price&sort_order=asc&cursor=" + multi)
                        .status())
                .isEqualTo(422);
    }

    @Test
    void tagsAcceptAllThreeSpellingsAndFieldsProject() {
        create("TAG-1", "Tagged one", "5");
        for (String q : List.of("tags=blue&tags=nothing", "tags=nothing,BLUE", "tags[]=blue")) {
            JsonNode r = http.get("/api/v1/products?search=tagged&" + q).json();
            assertThat(r.get("total").asLong()).as(q).isEqualTo(1);
        }
        JsonNode p = http.get("/api/v1/products?search=tagged&fields=name,price")
                .json()
                .get("products")
                .get(0);
        List<String> keys = new ArrayList<>(p.propertyNames());
        assertThat(keys).containsExactlyInAnyOrder("_id", "name", "price");
    }

    @Test
    void everyResponseCarriesTimingAndCorsHeaders() {
        Http.Response r = http.send(HttpRequest.newBuilder(http.uri("/api/v1/products"))
                .header("Origin", "http://example.com")
                .GET());
        assertThat(r.status()).isEqualTo(200);
        assertThat(Double.parseDouble(r.header("X-Process-Time"))).isGreaterThan(0);
        assertThat(r.header("Server-Timing")).contains("app;dur=");
        // index work runs on a query thread: the wait for one is a phase of its own
        Http.Response miss = http.get("/api/v1/products?page_size=3&min_stock=1&sort_by=reviews_count&sort_order=asc");
        assertThat(miss.header("X-Cache")).isEqualTo("MISS");
        assertThat(miss.header("Server-Timing")).contains("queue;dur=").contains("index;dur=");
        // a write: its transaction, and its wait until the index shows it
        Http.Response write = http.post("/api/v1/products", body("TIMING-1", "Timed Widget", "3.50"));
        assertThat(write.status()).isEqualTo(201);
        assertThat(write.header("Server-Timing")).contains("db;dur=").contains("visible;dur=");
        assertThat(r.header("Access-Control-Allow-Origin")).isIn("*", "http://example.com");
        Http.Response err = http.get("/api/v1/products/abc");
        assertThat(err.header("X-Process-Time")).isNotNull();
    }

    @Test
    void statsSummaryHasOriginalKeysAndHonoursFilters() {
        create("ST-1", "Stat one", "10.00");
        create("ST-2", "Stat two", "30.00");
        JsonNode s = http.get("/api/v1/products/stats/summary?search=stat").json();
        assertThat(s.get("total_products").asLong()).isEqualTo(2);
        assertThat(s.get("total_stock").asLong()).isEqualTo(6);
        assertThat(s.get("avg_price").decimalValue()).isEqualByComparingTo("20.00");
        assertThat(s.get("min_price").decimalValue()).isEqualByComparingTo("10.00");
        assertThat(s.get("max_price").decimalValue()).isEqualByComparingTo("30.00");
        assertThat(s.get("avg_rating").decimalValue()).isEqualByComparingTo("4.5");
        assertThat(s.get("inventory_value").decimalValue()).isEqualByComparingTo("120.00");
        assertThat(s.get("out_of_stock").asLong()).isZero();
        assertThat(s.get("categories").get(0).get("category").stringValue()).isEqualTo("Testing");
        JsonNode none = http.get("/api/v1/products/stats/summary?search=zzzqqq").json();
        assertThat(none.get("total_products").asLong()).isZero();
        assertThat(none.get("avg_price").isNull()).isTrue();
    }

    @Test
    void healthReportsDatabaseIndexAndReconciliation() {
        create("H-1", "Healthy", "1");
        Http.Response r = http.get("/health");
        assertThat(r.status()).isEqualTo(200);
        JsonNode h = r.json();
        assertThat(h.get("status").stringValue()).isEqualTo("healthy");
        assertThat(h.get("database").stringValue()).isEqualTo("connected");
        assertThat(h.get("index").get("documents").asLong()).isPositive();
        assertThat(h.get("index").get("lag").asLong()).isZero();
    }

    @Test
    void docsAreServed() {
        assertThat(http.get("/openapi.json").json().get("paths").has("/api/v1/products"))
                .isTrue();
        assertThat(http.get("/docs").status()).isIn(200, 302);
        assertThat(http.get("/redoc").status()).isEqualTo(200);
    }
}
