package dev.gridserve.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Apps;
import dev.gridserve.support.Bodies;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With reads requiring the reader role, and the response cache (Caffeine and Redis) on: authorization runs
 * before the cache, so neither a cached body nor an ETag/304 answers a request its credentials do not allow.
 */
class ReadsRequireAuthTest {
    @Test
    void cachedAnswersAndEtagsNeverBypassAuthorization() {
        PostgresSchema pg = new PostgresSchema();
        try (ConfigurableApplicationContext ctx = Apps.start(Apps.over(
                pg,
                pg.dataDir,
                "gridserve.security.reads-require-auth=true",
                "gridserve.cache.redis-url=redis://127.0.0.1:6379",
                "gridserve.cache.namespace=" + pg.schema))) {
            Http admin = Apps.http(ctx);
            Http anonymous = admin.anonymous();
            String id = admin.post("/api/v1/products", Bodies.product("RA-1", 4))
                    .json()
                    .get("_id")
                    .stringValue();
            String readerKey = admin.post("/api/v1/admin/keys", "{\"name\":\"reader\",\"role\":\"reader\"}")
                    .json()
                    .get("key")
                    .stringValue();
            Http reader = anonymous.as(readerKey);

            for (String path : List.of(
                    "/api/v1/products?page_size=3", "/api/v1/products/" + id, "/api/v1/products/stats/summary")) {
                // the reader warms the cache (a second read is a hit) and learns the ETag
                Http.Response first = reader.get(path);
                Http.Response second = reader.get(path);
                assertThat(first.status()).as(path).isEqualTo(200);
                assertThat(second.header("X-Cache")).as(path).isEqualTo("HIT-L1");
                String etag = second.header("ETag");
                assertThat(etag).as(path).isNotNull();
                assertThat(reader.send(HttpRequest.newBuilder(reader.uri(path)).header("If-None-Match", etag))
                                .status())
                        .as(path)
                        .isEqualTo(304);

                // anonymous: neither the cached body nor a 304 for the ETag it somehow has
                Http.Response plain = anonymous.get(path);
                assertThat(plain.status()).as(path).isEqualTo(401);
                assertThat(plain.raw()).doesNotContain("Convergent");
                Http.Response conditional = anonymous.send(
                        HttpRequest.newBuilder(anonymous.uri(path)).header("If-None-Match", etag));
                assertThat(conditional.status()).as(path).isEqualTo(401);
                assertThat(conditional.header("ETag")).isNull();
            }

            // GraphQL reads need the reader role too
            String query = "{\"query\":\"{ product(id: \\\"" + id + "\\\") { name } }\"}";
            Http.Response gqlAnonymous = anonymous.post("/graphql", query);
            assertThat(gqlAnonymous.status()).isEqualTo(401);
            assertThat(gqlAnonymous.raw()).doesNotContain("Convergent");
            Http.Response gqlReader = reader.post("/graphql", query);
            assertThat(gqlReader.status()).as(gqlReader.raw()).isEqualTo(200);
            assertThat(gqlReader.raw()).contains("Convergent RA-1");

            // a revoked key: the same, at once
            assertThat(admin.delete("/api/v1/admin/keys/reader").status()).isEqualTo(204);
            Http.Response revoked = reader.get("/api/v1/products/" + id);
            assertThat(revoked.status()).isEqualTo(401);
            assertThat(revoked.raw()).doesNotContain("Convergent");

            // a key without the reader role cannot exist, but a writer reads: roles include those below them
            String writerKey = admin.post("/api/v1/admin/keys", "{\"name\":\"writer\",\"role\":\"writer\"}")
                    .json()
                    .get("key")
                    .stringValue();
            assertThat(anonymous.as(writerKey).get("/api/v1/products/" + id).status())
                    .isEqualTo(200);
            // the UI, the docs and health stay public
            assertThat(anonymous.get("/").status()).isEqualTo(200);
            assertThat(anonymous.get("/openapi.json").status()).isEqualTo(200);
            assertThat(anonymous.get("/health/ready").status()).isEqualTo(200);
            assertThat(anonymous
                            .get("/api/v1/auth/me")
                            .json()
                            .get("reads_require_auth")
                            .asBoolean())
                    .isTrue();
        } finally {
            pg.drop();
        }
    }
}
