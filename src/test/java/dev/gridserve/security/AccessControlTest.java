package dev.gridserve.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Bodies;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Who may do what, endpoint by endpoint, with API keys of each role (reads public: the default). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AccessControlTest {
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

    Http admin;

    @BeforeEach
    void setUp() {
        admin = new Http(port);
    }

    /** A new key with {@code role}, made through the admin endpoint. */
    String key(String role) {
        Http.Response r = admin.post(
                "/api/v1/admin/keys",
                "{\"name\":\"k" + SEQ.incrementAndGet() + "-" + role + "\",\"role\":\"" + role + "\"}");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.json().get("key").stringValue();
    }

    String rowId() {
        Http.Response r = admin.post("/api/v1/products", Bodies.product("AC-" + SEQ.incrementAndGet(), 5));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.json().get("_id").stringValue();
    }

    /** One endpoint: how to call it (given a fresh product id and key name), the role it needs, what success is. */
    record Endpoint(String name, String needs, int success, Function<Http, Http.Response> call) {}

    List<Endpoint> endpoints() {
        List<Endpoint> e = new ArrayList<>();
        e.add(new Endpoint("list", null, 200, h -> h.get("/api/v1/products?page_size=2")));
        e.add(new Endpoint("get", null, 200, h -> h.get("/api/v1/products/" + rowId())));
        e.add(new Endpoint("stats", null, 200, h -> h.get("/api/v1/products/stats/summary")));
        e.add(new Endpoint("me", null, 200, h -> h.get("/api/v1/auth/me")));
        e.add(new Endpoint("ui", null, 200, h -> h.get("/")));
        e.add(new Endpoint("openapi", null, 200, h -> h.get("/openapi.json")));
        e.add(new Endpoint("health", null, 200, h -> h.get("/health")));
        e.add(new Endpoint(
                "create",
                "writer",
                201,
                h -> h.post("/api/v1/products", Bodies.product("AC-" + SEQ.incrementAndGet(), 7))));
        e.add(new Endpoint("put", "writer", 200, h -> h.put("/api/v1/products/" + rowId(), "{\"stock\":4}")));
        e.add(new Endpoint("patch", "writer", 200, h -> h.patch("/api/v1/products/" + rowId(), "{\"stock\":5}")));
        e.add(new Endpoint("delete", "writer", 204, h -> h.delete("/api/v1/products/" + rowId())));
        e.add(new Endpoint("history", "writer", 200, h -> h.get("/api/v1/products/" + rowId() + "/history")));
        e.add(new Endpoint("keys.list", "admin", 200, h -> h.get("/api/v1/admin/keys")));
        e.add(new Endpoint(
                "keys.create",
                "admin",
                201,
                h -> h.post(
                        "/api/v1/admin/keys",
                        "{\"name\":\"made-" + SEQ.incrementAndGet() + "\",\"role\":\"reader\"}")));
        e.add(new Endpoint("keys.revoke", "admin", 204, h -> {
            String name = "doomed-" + SEQ.incrementAndGet();
            assertThat(admin.post("/api/v1/admin/keys", "{\"name\":\"" + name + "\",\"role\":\"reader\"}")
                            .status())
                    .isEqualTo(201);
            return h.delete("/api/v1/admin/keys/" + name);
        }));
        return e;
    }

    static int rank(String role) {
        return role == null
                ? 0
                : switch (role) {
                    case "reader" -> 1;
                    case "writer" -> 2;
                    case "admin" -> 3;
                    default -> throw new IllegalArgumentException(role);
                };
    }

    @Test
    void everyRoleOnEveryEndpoint() {
        Http anonymous = admin.anonymous();
        List<String> roles = new ArrayList<>(List.of("reader", "writer", "admin"));
        roles.add(0, null);
        List<String> failures = new ArrayList<>();
        for (String role : roles) {
            Http caller = role == null ? anonymous : anonymous.as(key(role));
            for (Endpoint ep : endpoints()) {
                Http.Response r = ep.call().apply(caller);
                int expected = rank(role) >= rank(ep.needs()) ? ep.success() : role == null ? 401 : 403;
                if (r.status() != expected) {
                    failures.add(
                            (role == null ? "anonymous" : role) + " " + ep.name() + ": " + r.status() + " " + r.raw());
                }
                if (r.status() == 401 || r.status() == 403) {
                    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
                    assertThat(r.json().get("detail").stringValue()).endsWith(".");
                }
                if (r.status() == 401) {
                    assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void refusalsSayWhatIsNeeded() {
        Http reader = admin.anonymous().as(key("reader"));
        Http.Response r = reader.post("/api/v1/products", Bodies.product("AC-R", 1));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("detail").stringValue())
                .isEqualTo("This request needs the writer role; the credentials sent have the reader role.");
        Http.Response anon = admin.anonymous().delete("/api/v1/products/1");
        assertThat(anon.status()).isEqualTo(401);
        assertThat(anon.json().get("detail").stringValue()).contains("needs credentials");
    }

    @Test
    void badCredentialsAre401EvenWhereNoneAreNeeded() {
        Http anonymous = admin.anonymous();
        // a public read with a wrong key: the caller wants to know the key failed
        for (String wrong : List.of("gs_00000000_nope", "not-a-key", "", "gs_" + "x".repeat(500))) {
            Http.Response r = anonymous.as(wrong).get("/api/v1/products");
            assertThat(r.status()).as(wrong).isEqualTo(401);
            assertThat(r.json().get("detail").stringValue()).contains("API key is not valid");
        }
        // a real key id with a wrong secret
        String good = key("writer");
        String forged = good.substring(0, good.lastIndexOf('_') + 1) + "A".repeat(43);
        assertThat(anonymous.as(forged).get("/api/v1/products").status()).isEqualTo(401);
        // two credentials at once
        Http.Response both = anonymous
                .as(good)
                .send(HttpRequest.newBuilder(anonymous.uri("/api/v1/products"))
                        .header("Authorization", "Bearer " + good));
        assertThat(both.status()).isEqualTo(400);
        // a JWT-shaped bearer token when no issuer is configured
        Http.Response jwt = anonymous.send(HttpRequest.newBuilder(anonymous.uri("/api/v1/products"))
                .header("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"));
        assertThat(jwt.status()).isEqualTo(401);
        assertThat(jwt.json().get("detail").stringValue()).contains("no token issuer is configured");
        // Basic credentials are a proxy's business, not ours: ignored, the read is public
        Http.Response basic = anonymous.send(HttpRequest.newBuilder(anonymous.uri("/api/v1/products"))
                .header("Authorization", "Basic dXNlcjpwYXNz"));
        assertThat(basic.status()).isEqualTo(200);
    }

    @Test
    void keysWorkAsBearerTokensToo() {
        String writer = key("writer");
        Http anonymous = admin.anonymous();
        Http.Response r = anonymous.send(HttpRequest.newBuilder(anonymous.uri("/api/v1/products"))
                .header("Authorization", "Bearer " + writer)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Bodies.product("AC-B", 3))));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
    }

    @Test
    void keysAreShownOnceStoredHashedAndRevocable() throws Exception {
        Http.Response created = admin.post("/api/v1/admin/keys", "{\"name\":\"importer\",\"role\":\"writer\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/v1/admin/keys/importer");
        String key = created.json().get("key").stringValue();
        assertThat(key).matches("gs_[0-9a-f]{8}_[A-Za-z0-9_-]{43}");
        assertThat(created.json().get("role").stringValue()).isEqualTo("writer");

        JsonNode listed = admin.get("/api/v1/admin/keys").json().get("keys");
        assertThat(listed.toString()).doesNotContain(key.substring(12)).contains("\"importer\"");
        try (var c = java.sql.DriverManager.getConnection(PG.jdbcUrl(), "postgres", "");
                var rs = c.createStatement().executeQuery("SELECT secret_hash FROM api_keys WHERE name = 'importer'")) {
            assertThat(rs.next()).isTrue();
            String stored = rs.getString(1);
            assertThat(stored).hasSize(64).doesNotContain(key.substring(12));
            // the stored value is the SHA-256 of the secret, computed here without the production code
            String secret = key.substring(key.lastIndexOf('_', key.length() - 44) + 1);
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(stored).isEqualTo(java.util.HexFormat.of().formatHex(d));
        }

        assertThat(admin.post("/api/v1/admin/keys", "{\"name\":\"importer\",\"role\":\"reader\"}")
                        .status())
                .isEqualTo(409);
        assertThat(admin.post("/api/v1/admin/keys", "{\"name\":\"x y\",\"role\":\"reader\"}")
                        .status())
                .isEqualTo(422);
        assertThat(admin.post("/api/v1/admin/keys", "{\"name\":\"ok\",\"role\":\"root\"}")
                        .status())
                .isEqualTo(422);

        Http importer = admin.anonymous().as(key);
        assertThat(importer.post("/api/v1/products", Bodies.product("AC-I", 2)).status())
                .isEqualTo(201);
        assertThat(admin.delete("/api/v1/admin/keys/importer").status()).isEqualTo(204);
        assertThat(importer.post("/api/v1/products", Bodies.product("AC-J", 2)).status())
                .isEqualTo(401);
        assertThat(admin.delete("/api/v1/admin/keys/importer").status()).isEqualTo(404);
        JsonNode revoked = admin.get("/api/v1/admin/keys").json().get("keys");
        for (JsonNode k : revoked) {
            if (k.get("name").stringValue().equals("importer")) {
                assertThat(k.get("revoked_at").isNull()).isFalse();
            }
        }
    }

    @Test
    void meSaysWhoTheCallerIs() {
        JsonNode anon = admin.anonymous().get("/api/v1/auth/me").json();
        assertThat(anon.get("authenticated").asBoolean()).isFalse();
        assertThat(anon.get("reads_require_auth").asBoolean()).isFalse();
        String writer = key("writer");
        JsonNode me = admin.anonymous().as(writer).get("/api/v1/auth/me").json();
        assertThat(me.get("authenticated").asBoolean()).isTrue();
        assertThat(me.get("role").stringValue()).isEqualTo("writer");
        assertThat(me.get("name").stringValue()).startsWith("key:k");
        // the cost of access control is reported as its own phase
        assertThat(admin.anonymous().as(writer).get("/api/v1/products").header("Server-Timing"))
                .matches(".*access;dur=[0-9.]+, .*app;dur=[0-9.]+");
    }

    @Test
    void historyRecordsWhoDidWhat() {
        String writerName = "auditor-" + SEQ.incrementAndGet();
        Http.Response made = admin.post("/api/v1/admin/keys", "{\"name\":\"" + writerName + "\",\"role\":\"writer\"}");
        Http writer = admin.anonymous().as(made.json().get("key").stringValue());
        String id = writer.post("/api/v1/products", Bodies.product("AC-H", 3))
                .json()
                .get("_id")
                .stringValue();
        assertThat(admin.put("/api/v1/products/" + id, "{\"stock\":8}").status())
                .isEqualTo(200);
        assertThat(writer.delete("/api/v1/products/" + id).status()).isEqualTo(204);

        Http.Response r = writer.get("/api/v1/products/" + id + "/history");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        JsonNode h = r.json().get("history");
        assertThat(r.json().get("_id").stringValue()).isEqualTo(id);
        assertThat(h).hasSize(3);
        assertThat(h.get(0).get("action").stringValue()).isEqualTo("delete");
        assertThat(h.get(0).get("actor").stringValue()).isEqualTo("key:" + writerName);
        assertThat(h.get(1).get("action").stringValue()).isEqualTo("update");
        assertThat(h.get(1).get("actor").stringValue()).isEqualTo("key:(configured)");
        assertThat(h.get(2).get("action").stringValue()).isEqualTo("create");
        assertThat(h.get(2).get("actor").stringValue()).isEqualTo("key:" + writerName);
        assertThat(h.get(0).get("seq").asLong())
                .isGreaterThan(h.get(1).get("seq").asLong());
        assertThat(h.get(0).get("changed_at").stringValue()).endsWith("Z");

        assertThat(writer.get("/api/v1/products/" + id + "/history?limit=1")
                        .json()
                        .get("history"))
                .hasSize(1);
        assertThat(writer.get("/api/v1/products/" + id + "/history?limit=0").status())
                .isEqualTo(422);
        assertThat(writer.get("/api/v1/products/999999999/history").status()).isEqualTo(404);
    }
}
