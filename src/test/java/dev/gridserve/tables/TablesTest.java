package dev.gridserve.tables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import dev.gridserve.support.ProductFields;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * /api/v1/tables describes each table from its schema file, and for products the description is the truth:
 * every capability and limit it states is checked against what the products API actually does.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TablesTest {
    static final PostgresSchema PG = new PostgresSchema();
    static final AtomicInteger SEQ = new AtomicInteger();

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        PG.register(r);
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

    /** Every table served, as /api/v1/tables lists them (by name), each also at /api/v1/tables/{name}. */
    List<JsonNode> tables() {
        Http.Response r = http.anonymous().get("/api/v1/tables");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.json().get("tables").forEach(out::add);
        assertThat(out.stream().map(t -> t.get("name").stringValue()))
                .as("the built-in schema files")
                .containsExactly("orders", "products");
        for (JsonNode t : out) {
            String name = t.get("name").stringValue();
            assertThat(t.get("path").stringValue()).isEqualTo("/api/v1/" + name);
            assertThat(t.get("id").stringValue()).isEqualTo("_id");
            assertThat(http.anonymous().get("/api/v1/tables/" + name).json()).isEqualTo(t);
        }
        return out;
    }

    JsonNode products() {
        return tables().stream()
                .filter(t -> t.get("name").stringValue().equals("products"))
                .findFirst()
                .orElseThrow();
    }

    JsonNode field(String name) {
        for (JsonNode f : products().get("fields")) {
            if (f.get("name").stringValue().equals(name)) {
                return f;
            }
        }
        throw new AssertionError(name);
    }

    @Test
    void describesProducts() {
        List<String> names = new ArrayList<>();
        products().get("fields").forEach(f -> names.add(f.get("name").stringValue()));
        assertThat(names).containsExactlyElementsOf(ProductFields.FIELDS);
        JsonNode price = field("price");
        assertThat(price.get("type").stringValue()).isEqualTo("decimal");
        assertThat(price.get("scale").intValue()).isEqualTo(2);
        assertThat(field("created_at").get("read_only").booleanValue()).isTrue();
        assertThat(field("name").has("scale")).as("only decimals have a scale").isFalse();

        Http.Response missing = http.get("/api/v1/tables/orderz");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("content-type")).startsWith("application/problem+json");
        assertThat(missing.json().get("detail").stringValue())
                .isEqualTo("There is no table named 'orderz'; GET /api/v1/tables lists them.");
    }

    @Test
    void whatItSaysAboutSortingFiltersAndFacetsIsWhatTheApiDoes() {
        for (JsonNode table : tables()) {
            checkSortsFiltersAndFacets(table);
        }
    }

    private void checkSortsFiltersAndFacets(JsonNode table) {
        String path = table.get("path").stringValue();
        for (JsonNode f : table.get("fields")) {
            String name = f.get("name").stringValue();
            int sorted = http.get(path + "?page_size=1&sort_by=" + name).status();
            assertThat(sorted).as("sort_by=" + name).isEqualTo(f.get("sortable").booleanValue() ? 200 : 422);
            Http.Response faceted = http.get(path + "?page_size=1&facets=" + name);
            assertThat(faceted.status())
                    .as("facets=" + name)
                    .isEqualTo(f.get("facet").booleanValue() ? 200 : 422);
            if (f.get("filterable").booleanValue()
                    && f.get("type").stringValue().startsWith("keyword")) {
                Http.Response filtered = http.get(path + "?" + name + "=no-such-value");
                if (f.has("allowed")) {
                    assertThat(filtered.status())
                            .as(name + " takes its allowed values only")
                            .isEqualTo(422);
                } else {
                    assertThat(filtered.json().get("total").longValue())
                            .as(name + " filters")
                            .isZero();
                }
            }
            if (f.get("filterable").booleanValue() && f.has("max")) {
                Http.Response filtered =
                        http.get(path + "?min_" + name + "=" + f.get("max").decimalValue());
                assertThat(filtered.status()).as("min_" + name).isEqualTo(200);
            }
        }
    }

    ObjectNode valid() {
        int n = SEQ.incrementAndGet();
        return (ObjectNode) Http.JSON.readTree("""
                {"name":"Schema %d","description":"d","price":9.99,"category":"C","stock":1,"sku":"SCH-%d"}""".formatted(n, n));
    }

    int post(ObjectNode body) {
        Http.Response r = http.post("/api/v1/products", body.toString());
        assertThat(r.status()).as(r.raw()).isIn(201, 422);
        return r.status();
    }

    @Test
    void whatItSaysAboutRequiredFieldsAndLimitsIsWhatTheApiEnforces() {
        for (JsonNode f : products().get("fields")) {
            String name = f.get("name").stringValue();
            if (f.get("read_only").booleanValue()) {
                continue;
            }
            ObjectNode without = valid();
            without.remove(name);
            assertThat(post(without))
                    .as(name + (f.get("required").booleanValue() ? " is required" : " is optional"))
                    .isEqualTo(f.get("required").booleanValue() ? 422 : 201);
            String type = f.get("type").stringValue();
            if (f.has("max_length") && !type.equals("keyword_list")) {
                int max = f.get("max_length").intValue();
                String prefix = "S" + SEQ.incrementAndGet() + "-";
                ObjectNode atMax = valid().put(name, prefix + "x".repeat(max - prefix.length()));
                assertThat(post(atMax)).as(name + " at max_length").isEqualTo(201);
                ObjectNode over = valid().put(name, prefix + "x".repeat(max + 1 - prefix.length()));
                assertThat(post(over)).as(name + " over max_length").isEqualTo(422);
            }
            if (type.equals("keyword_list")) {
                int items = f.get("max_items").intValue();
                int length = f.get("max_length").intValue();
                ObjectNode atMax = valid();
                for (int i = 0; i < items; i++) {
                    atMax.withArray(name).add(("t" + i + "-" + "x".repeat(length)).substring(0, length));
                }
                assertThat(post(atMax))
                        .as(name + " at max_items and max_length")
                        .isEqualTo(201);
                ObjectNode tooMany = valid();
                for (int i = 0; i <= items; i++) {
                    tooMany.withArray(name).add("t" + i);
                }
                assertThat(post(tooMany)).as(name + " over max_items").isEqualTo(422);
                ObjectNode tooLong = valid();
                tooLong.withArray(name).add("x".repeat(length + 1));
                assertThat(post(tooLong)).as(name + " item over max_length").isEqualTo(422);
            }
            BigDecimal step = type.equals("decimal")
                    ? BigDecimal.ONE.movePointLeft(f.get("scale").intValue())
                    : type.equals("double") ? new BigDecimal("0.1") : BigDecimal.ONE;
            if (f.has("max")) {
                BigDecimal max = f.get("max").decimalValue();
                assertThat(post(valid().put(name, max))).as(name + " at max").isEqualTo(201);
                assertThat(post(valid().put(name, max.add(step))))
                        .as(name + " over max")
                        .isEqualTo(422);
            }
            if (f.has("min")) {
                BigDecimal min = f.get("min").decimalValue();
                assertThat(post(valid().put(name, min))).as(name + " at min").isEqualTo(201);
                assertThat(post(valid().put(name, min.subtract(step))))
                        .as(name + " under min")
                        .isEqualTo(422);
            }
        }
    }

    @Test
    void aLowercaseFieldIsStoredInLowerCaseAndAListKeepsEachItemOnce() {
        for (JsonNode f : products().get("fields")) {
            if (!f.get("type").stringValue().startsWith("keyword")
                    || f.get("read_only").booleanValue()
                    || f.has("allowed")) {
                continue;
            }
            String name = f.get("name").stringValue();
            boolean lower = f.get("lowercase").booleanValue();
            String v = "MiXed-" + SEQ.incrementAndGet();
            ObjectNode body = valid();
            if (f.get("type").stringValue().equals("keyword_list")) {
                body.putArray(name).add(v).add(v).add(v.toLowerCase(java.util.Locale.ROOT));
            } else {
                body.put(name, v);
            }
            Http.Response created = http.post("/api/v1/products", body.toString());
            assertThat(created.status()).as(created.raw()).isEqualTo(201);
            JsonNode stored = created.json().get(name);
            if (stored.isArray()) {
                assertThat(stored.toString())
                        .as(name)
                        .isEqualTo(
                                lower
                                        ? "[\"" + v.toLowerCase(java.util.Locale.ROOT) + "\"]"
                                        : "[\"" + v + "\",\"" + v.toLowerCase(java.util.Locale.ROOT) + "\"]");
            } else {
                assertThat(stored.stringValue()).as(name).isEqualTo(lower ? v.toLowerCase(java.util.Locale.ROOT) : v);
            }
        }
    }

    @Test
    void everyTableAnswersTheGenericSummaryShapeProductsIncluded() {
        assertThat(post(valid())).isEqualTo(201);
        JsonNode generic = http.get("/api/v1/products/stats/summary?shape=fields&category=C")
                .json();
        JsonNode own = http.get("/api/v1/products/stats/summary?category=C").json();
        assertThat(own.get("total_products").asLong()).as(own.toString()).isPositive();
        assertThat(generic.get("total").asLong())
                .isEqualTo(own.get("total_products").asLong());
        assertThat(generic.get("fields").get("stock").get("sum").asLong())
                .isEqualTo(own.get("total_stock").asLong());
        assertThat(generic.get("fields").get("price").get("max").decimalValue())
                .isEqualByComparingTo(own.get("max_price").decimalValue());
        assertThat(generic.get("by").get("field").stringValue()).isEqualTo("category");
        assertThat(own.has("fields"))
                .as("products keep their own shape unless asked")
                .isFalse();
        // messages name a row as the schema's row_name says
        assertThat(http.get("/api/v1/products/999999999").json().get("detail").stringValue())
                .isEqualTo("Product 999999999 was not found.");
        assertThat(http.get("/api/v1/orders/999999999").json().get("detail").stringValue())
                .isEqualTo("Order 999999999 was not found.");
        assertThat(http.get("/api/v1/products/abc").json().get("detail").stringValue())
                .startsWith("'abc' is not a valid product id;");
        Http.Response bad = http.get("/api/v1/products/stats/summary?shape=flat");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().get("detail").stringValue()).contains("shape");
    }

    @Test
    void theFormerPageOfOtherTablesLeadsToTheOnePageForAll() {
        Http.Response moved = http.anonymous().get("/table.html?t=orders");
        assertThat(moved.status()).isEqualTo(301);
        assertThat(moved.header("Location")).endsWith("/?t=orders");
    }
}
