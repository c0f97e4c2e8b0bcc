package dev.gridserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Apps;
import dev.gridserve.support.Bodies;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import graphql.introspection.IntrospectionQuery;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.graphql.GraphQlRequest;
import org.springframework.graphql.GraphQlResponse;
import org.springframework.graphql.client.GraphQlTransport;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.test.tester.GraphQlTester;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * GraphQL over HTTP against a running instance on PostgreSQL, through Spring's GraphQlTester: lists, cursors,
 * facets and stats checked against SQL on the table (the oracle), mutations with REST's validation, errors and
 * roles, and the depth and complexity limits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GraphQlEndpointTest {
    final PostgresSchema pg = new PostgresSchema();
    ConfigurableApplicationContext app;
    Http http;

    @BeforeAll
    void start() {
        app = Apps.start(Apps.over(pg, pg.dataDir, "gridserve.data.seed-on-empty=2000"));
        http = Apps.http(app);
    }

    @AfterAll
    void stop() {
        app.close();
        pg.drop();
    }

    /** GraphQlTester over plain HTTP to /graphql, as {@code as} (an API key, or null for anonymous). */
    GraphQlTester tester(Http as) {
        GraphQlTransport transport = new GraphQlTransport() {
            @Override
            public Mono<GraphQlResponse> execute(GraphQlRequest request) {
                Http.Response r = as.send(HttpRequest.newBuilder(as.uri("/graphql"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Http.JSON.writeValueAsString(request.toMap()))));
                assertThat(r.status()).as(r.raw()).isEqualTo(200);
                @SuppressWarnings("unchecked")
                Map<String, Object> body = Http.JSON.readValue(r.raw(), Map.class);
                return Mono.just(GraphQlTransport.createResponse(body));
            }

            @Override
            public Flux<GraphQlResponse> executeSubscription(GraphQlRequest request) {
                throw new UnsupportedOperationException();
            }
        };
        return GraphQlTester.builder(transport).build();
    }

    GraphQlTester admin() {
        return tester(http);
    }

    GraphQlTester as(String role) {
        Http.Response r = http.post(
                "/api/v1/admin/keys",
                "{\"name\":\"gql-" + role + "-" + System.nanoTime() + "\",\"role\":\"" + role + "\"}");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return tester(http.anonymous().as(r.json().get("key").stringValue()));
    }

    List<String> sqlList(String sql, Object... params) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "");
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    @Test
    void aFilteredListAndItsCursorWalkMatchSql() throws Exception {
        List<String> categories = sqlList("SELECT category FROM products GROUP BY category ORDER BY category LIMIT 2");
        BigDecimal min = new BigDecimal("20.5");
        BigDecimal max = new BigDecimal("400");
        List<String> expected = sqlList(
                "SELECT id::text FROM products WHERE category IN (?, ?) AND price >= ? AND price <= ?",
                categories.get(0),
                categories.get(1),
                min,
                max);
        assertThat(expected).as("the oracle selects something").hasSizeGreaterThan(60);

        String query = """
                query Walk($cats: [String!], $cursor: String) {
                  products(filter: {category: $cats, min_price: 20.5, max_price: 400}, sort: "price:asc",
                           pageSize: 50, cursor: $cursor) {
                    total nextCursor rows { _id price category }
                  }
                }""";
        Set<String> seen = new HashSet<>();
        String cursor = "";
        BigDecimal last = BigDecimal.ZERO;
        int pages = 0;
        while (cursor != null) {
            GraphQlTester.Response r = admin().document(query)
                    .variable("cats", categories)
                    .variable("cursor", cursor)
                    .execute();
            r.errors().verify();
            assertThat(r.path("products.total").entity(Long.class).get()).isEqualTo(expected.size());
            List<Map<String, Object>> rows = r.path("products.rows").entityList(Map.class).get().stream()
                    .map(m -> (Map<String, Object>) m)
                    .toList();
            for (Map<String, Object> row : rows) {
                BigDecimal price = new BigDecimal(row.get("price").toString());
                assertThat(price).as("sorted by price").isGreaterThanOrEqualTo(last);
                last = price;
                assertThat(categories).contains((String) row.get("category"));
                assertThat(seen.add((String) row.get("_id"))).as("no row twice").isTrue();
            }
            cursor = nextCursor(r);
            pages++;
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(pages).isGreaterThan(1);
    }

    private static String nextCursor(GraphQlTester.Response r) {
        return (String) r.path("products").entity(Map.class).get().get("nextCursor");
    }

    @Test
    void facetsAndStatsMatchSql() throws Exception {
        String category = sqlList("SELECT category FROM products GROUP BY category ORDER BY category LIMIT 1")
                .get(0);
        GraphQlTester.Response r =
                admin().document("""
                        query($c: [String!]) {
                          products(filter: {category: $c}, pageSize: 1, facets: ["brand"]) {
                            total facets { field values { value count } }
                          }
                          productsStats(filter: {category: $c}) { total fields { field count sum min max } }
                        }""").variable("c", List.of(category)).execute();
        r.errors().verify();
        long count = Long.parseLong(sqlList("SELECT COUNT(*) FROM products WHERE category = ?", category)
                .get(0));
        assertThat(r.path("products.total").entity(Long.class).get()).isEqualTo(count);
        assertThat(r.path("productsStats.total").entity(Long.class).get()).isEqualTo(count);
        List<String> brands = sqlList(
                "SELECT brand || '=' || COUNT(*) FROM products WHERE category = ? AND brand IS NOT NULL"
                        + " GROUP BY brand",
                category);
        List<String> facet = new ArrayList<>();
        for (Object v :
                r.path("products.facets[0].values").entityList(Map.class).get()) {
            Map<?, ?> m = (Map<?, ?>) v;
            facet.add(m.get("value") + "=" + m.get("count"));
        }
        assertThat(r.path("products.facets[0].field").entity(String.class).get())
                .isEqualTo("brand");
        assertThat(facet).containsExactlyInAnyOrderElementsOf(brands);
        BigDecimal sum = new BigDecimal(sqlList("SELECT SUM(price) FROM products WHERE category = ?", category)
                .get(0));
        r.path("productsStats.fields[?(@.field == 'price')].sum")
                .entityList(Double.class)
                .satisfies(s -> assertThat(BigDecimal.valueOf(s.get(0))).isEqualByComparingTo(sum));
    }

    @Test
    void mutationsNeedTheWriterRoleAndKeepRestsRules() throws Exception {
        String create = """
                mutation($in: ProductInput!) { createProduct(input: $in) { _id sku price } }""";
        Map<String, Object> input = Map.of(
                "name",
                "GraphQL Lamp",
                "description",
                "d",
                "price",
                12.5,
                "category",
                "Lamps",
                "stock",
                3,
                "sku",
                "GQL-LAMP-1");

        GraphQlTester.Response anonymous =
                tester(http.anonymous()).document(create).variable("in", input).execute();
        anonymous
                .errors()
                .expect(e -> e.getErrorType() == ErrorType.UNAUTHORIZED)
                .verify();
        GraphQlTester.Response reader =
                as("reader").document(create).variable("in", input).execute();
        reader.errors()
                .expect(e -> e.getErrorType() == ErrorType.FORBIDDEN
                        && e.getMessage().contains("writer role"))
                .verify();
        assertThat(sqlList("SELECT id FROM products WHERE sku = 'GQL-LAMP-1'"))
                .as("nothing written")
                .isEmpty();

        GraphQlTester writer = as("writer");
        String id = writer.document(create)
                .variable("in", input)
                .execute()
                .path("createProduct._id")
                .entity(String.class)
                .get();
        assertThat(sqlList("SELECT price::text FROM products WHERE id = ?", Long.parseLong(id)))
                .containsExactly("12.50");
        // read-your-writes: the next search finds it
        writer.document("{ products(search: \"GQL-LAMP-1\") { total rows { _id } } }")
                .execute()
                .path("products.rows[0]._id")
                .entity(String.class)
                .isEqualTo(id);

        // the same validation as REST, field by field
        Http.Response rest = http.post("/api/v1/products", Bodies.product("GQL-BAD", -5));
        assertThat(rest.status()).isEqualTo(422);
        Map<String, Object> bad = new java.util.HashMap<>(input);
        bad.put("sku", "GQL-BAD");
        bad.put("price", -5);
        writer.document(create)
                .variable("in", bad)
                .execute()
                .errors()
                .expect(e -> {
                    Map<String, Object> ext = e.getExtensions();
                    return e.getErrorType() == ErrorType.BAD_REQUEST
                            && e.getMessage().equals(rest.json().get("detail").stringValue())
                            && Integer.valueOf(422).equals(ext.get("status"))
                            && ext.get("errors").toString().contains("price");
                })
                .verify();
        // a taken unique value: REST's 409
        writer.document(create)
                .variable("in", input)
                .execute()
                .errors()
                .expect(e -> Integer.valueOf(409).equals(e.getExtensions().get("status")))
                .verify();

        writer.document("mutation($id: ID!) { updateProduct(id: $id, input: {stock: 9}) { stock sku } }")
                .variable("id", id)
                .execute()
                .path("updateProduct.stock")
                .entity(Integer.class)
                .isEqualTo(9);
        assertThat(sqlList("SELECT stock::text FROM products WHERE id = ?", Long.parseLong(id)))
                .containsExactly("9");
        writer.document("mutation($id: ID!) { deleteProduct(id: $id) }")
                .variable("id", id)
                .execute()
                .path("deleteProduct")
                .entity(Boolean.class)
                .isEqualTo(true);
        writer.document("query($id: ID!) { product(id: $id) { _id } }")
                .variable("id", id)
                .execute()
                .path("product")
                .valueIsNull();
        writer.document("mutation($id: ID!) { deleteProduct(id: $id) }")
                .variable("id", id)
                .execute()
                .errors()
                .expect(e -> e.getErrorType() == ErrorType.NOT_FOUND)
                .verify();
    }

    @Test
    void aDocumentWithSeveralOperationsRunsTheOneNamed() {
        admin().document("query A { products(pageSize: 1) { total } } query B { orders(pageSize: 1) { total } }")
                .operationName("B")
                .execute()
                .path("orders.total")
                .entity(Long.class)
                .satisfies(total -> assertThat(total).isGreaterThanOrEqualTo(0));
    }

    @Test
    void badArgumentsGetRestsSentences() {
        admin().document("{ products(pageSize: 5000) { total } }")
                .execute()
                .errors()
                .expect(e -> e.getErrorType() == ErrorType.BAD_REQUEST
                        && e.getMessage().contains("page_size")
                        && Integer.valueOf(422).equals(e.getExtensions().get("status")))
                .verify();
        admin().document("{ products(sort: \"colour:asc\") { total } }")
                .execute()
                .errors()
                .expect(e -> e.getMessage().contains("sort"))
                .verify();
        admin().document("{ product(id: \"01\") { _id } }")
                .execute()
                .errors()
                .expect(e -> e.getErrorType() == ErrorType.BAD_REQUEST
                        && e.getMessage().contains("not a valid"))
                .verify();
        // a field the table does not have is refused by GraphQL's own validation
        admin().document("{ products(filter: {colour: [\"red\"]}) { total } }")
                .execute()
                .errors()
                .expect(e -> e.getMessage().contains("colour"))
                .verify();
    }

    /** What GraphQL cannot even read is a problem+json with a sentence, as everywhere else. */
    @Test
    void requestsThatAreNotGraphQlGetProblemJson() {
        Http anonymous = http.anonymous();
        Http.Response get = anonymous.get("/graphql?query=%7Bproducts%7Btotal%7D%7D");
        Http.Response text = anonymous.send(HttpRequest.newBuilder(anonymous.uri("/graphql"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ products { total } }\"}")));
        Http.Response broken = anonymous.post("/graphql", "{\"query\":");
        for (Http.Response r : List.of(get, text, broken)) {
            assertThat(r.header("Content-Type")).as(r.raw()).startsWith("application/problem+json");
            assertThat(r.json().get("detail").stringValue()).as(r.raw()).endsWith(".");
        }
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.header("Allow")).isEqualTo("POST");
        assertThat(text.status()).isEqualTo(415);
        assertThat(broken.status()).isEqualTo(400);
    }

    @Test
    void deepOrCostlyQueriesAreRefusedBeforeTheyRun() {
        StringBuilder deep = new StringBuilder("{ __schema { types { ");
        for (int i = 0; i < 20; i++) {
            deep.append("ofType { ");
        }
        deep.append("name ").append("} ".repeat(20)).append("} } }");
        admin().document(deep.toString())
                .execute()
                .errors()
                .expect(e -> e.getMessage().contains("depth"))
                .verify();

        StringBuilder costly = new StringBuilder("{ ");
        for (int i = 0; i < 6; i++) {
            costly.append("p").append(i).append(": products(pageSize: 1000) { rows { _id name } } ");
        }
        costly.append('}');
        admin().document(costly.toString())
                .execute()
                .errors()
                .expect(e -> e.getMessage().contains("complexity"))
                .verify();
        // within the limits: two full pages
        admin().document("{ a: products(pageSize: 1000) { total } b: products(pageSize: 1000) { total } }")
                .execute()
                .errors()
                .verify();
        // GraphiQL's own introspection query fits
        admin().document(IntrospectionQuery.INTROSPECTION_QUERY)
                .execute()
                .errors()
                .verify();
    }

    @Test
    void graphiqlIsServedWithAPolicyThatLetsItLoad() {
        Http.Response page = http.anonymous().get("/graphiql?path=/graphql");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw()).contains("graphiql");
        assertThat(page.header("Content-Security-Policy")).contains("https://esm.sh");
        Http.Response api = http.anonymous().get("/api/v1/products?page_size=1");
        assertThat(api.header("Content-Security-Policy"))
                .doesNotContain("esm.sh")
                .contains("script-src 'self'");
        JsonNode tables = http.anonymous().get("/api/v1/tables").json();
        assertThat(tables).isNotNull();
    }
}
