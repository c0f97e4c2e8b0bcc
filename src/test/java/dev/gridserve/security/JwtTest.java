package dev.gridserve.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.gridserve.support.Apps;
import dev.gridserve.support.Bodies;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * JWTs from an issuer whose key pair is generated here and whose JWK set this test serves: a good token works
 * with the roles in its "roles" claim; wrong issuer, expired, not yet valid, bad signature and wrong audience
 * are each a 401.
 */
class JwtTest {
    static final String ISSUER = "https://issuer.test";
    static final String AUDIENCE = "gridserve";
    static PostgresSchema pg;
    static HttpServer jwks;
    static RSAKey signing;
    static ConfigurableApplicationContext app;
    static Http anonymous;

    @BeforeAll
    static void start() throws Exception {
        signing = new RSAKeyGenerator(2048).keyID("k1").generate();
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = new JWKSet(signing.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks.createContext("/jwks", ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        jwks.start();
        pg = new PostgresSchema();
        app = Apps.start(Apps.over(
                pg,
                pg.dataDir,
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri=http://127.0.0.1:"
                        + jwks.getAddress().getPort() + "/jwks",
                "spring.security.oauth2.resourceserver.jwt.issuer-uri=" + ISSUER,
                "spring.security.oauth2.resourceserver.jwt.audiences=" + AUDIENCE));
        anonymous = Apps.http(app).anonymous();
    }

    @AfterAll
    static void stop() {
        app.close();
        jwks.stop(0);
        pg.drop();
    }

    static String token(RSAKey key, Consumer<JWTClaimsSet.Builder> change) throws JOSEException {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject("alice")
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now.minusSeconds(5)))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .claim("roles", List.of("writer"));
        change.accept(claims);
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    static Http.Response create(String token, String sku) {
        return anonymous.send(HttpRequest.newBuilder(anonymous.uri("/api/v1/products"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Bodies.product(sku, 3))));
    }

    @Test
    void aGoodTokenWritesAndIsNamedInTheAuditTrail() throws Exception {
        Http.Response r = create(token(signing, c -> {}), "JWT-1");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        String id = r.json().get("_id").stringValue();
        Http.Response h = anonymous.send(HttpRequest.newBuilder(anonymous.uri("/api/v1/products/" + id + "/history"))
                .header("Authorization", "Bearer " + token(signing, c -> {})));
        assertThat(h.status()).isEqualTo(200);
        assertThat(h.json().get("history").get(0).get("actor").stringValue()).isEqualTo("jwt:alice");
    }

    @Test
    void rolesComeFromTheRolesClaim() throws Exception {
        Http.Response reader = create(token(signing, c -> c.claim("roles", List.of("reader"))), "JWT-2");
        assertThat(reader.status()).isEqualTo(403);
        assertThat(reader.json().get("detail").stringValue()).contains("needs the writer role");
        Http.Response none = create(token(signing, c -> c.claim("roles", List.of("superuser"))), "JWT-3");
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.json().get("detail").stringValue()).contains("have no role");
        Http.Response admin = create(token(signing, c -> c.claim("roles", "admin")), "JWT-4");
        assertThat(admin.status()).isEqualTo(201);
    }

    @Test
    void everyBadTokenIs401WithASentenceSayingWhy() throws Exception {
        RSAKey impostor = new RSAKeyGenerator(2048).keyID("k1").generate();
        Instant now = Instant.now();
        record Case(String name, String token, String says) {}
        List<Case> cases = List.of(
                new Case("wrong issuer", token(signing, c -> c.issuer("https://evil.test")), "issuer"),
                new Case(
                        "expired",
                        token(
                                signing,
                                c -> c.issueTime(Date.from(now.minusSeconds(3600)))
                                        .expirationTime(Date.from(now.minusSeconds(600)))),
                        "expired"),
                new Case(
                        "not yet valid",
                        token(signing, c -> c.notBeforeTime(Date.from(now.plusSeconds(600)))),
                        "not valid yet"),
                new Case("bad signature", token(impostor, c -> {}), "signature"),
                new Case("wrong audience", token(signing, c -> c.audience("someone-else")), "audience"));
        for (Case c : cases) {
            Http.Response r = create(c.token(), "JWT-BAD");
            assertThat(r.status()).as(c.name() + ": " + r.raw()).isEqualTo(401);
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(r.json().get("detail").stringValue()).as(c.name()).contains(c.says());
            // a read, public as it is, is refused too: credentials that were sent must be good
            Http.Response read = anonymous.send(HttpRequest.newBuilder(anonymous.uri("/api/v1/products"))
                    .header("Authorization", "Bearer " + c.token()));
            assertThat(read.status()).as(c.name()).isEqualTo(401);
        }
        assertThat(anonymous
                        .get("/api/v1/products?search=jwt-bad")
                        .json()
                        .get("total")
                        .asLong())
                .isZero();
    }

    @Test
    void apiKeysStillWorkBesideJwts() {
        Http admin = Apps.http(app);
        String key = admin.post("/api/v1/admin/keys", "{\"name\":\"beside\",\"role\":\"writer\"}")
                .json()
                .get("key")
                .stringValue();
        assertThat(create(key, "JWT-KEY").status()).isEqualTo(201);
    }
}
