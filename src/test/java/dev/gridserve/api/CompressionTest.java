package dev.gridserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import dev.gridserve.cache.Body;
import dev.gridserve.cache.ResponseCache;
import dev.gridserve.support.PostgresSchema;
import dev.gridserve.support.TestKeys;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Responses in zstd or gzip when the client accepts them: a 1,000-row page shrinks under 80 KB and decodes to
 * exactly the plain bytes; refused or absent encodings and small bodies stay plain; a cached answer is
 * compressed once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CompressionTest {
    static final PostgresSchema PG = new PostgresSchema();
    static final HttpClient CLIENT = HttpClient.newHttpClient();
    static final String PAGE = "/api/v1/products?page_size=1000&sort_by=name";

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        PG.register(r);
        r.add("gridserve.data.seed-on-empty", () -> "2000");
    }

    @AfterAll
    static void drop() {
        PG.drop();
    }

    @LocalServerPort
    int port;

    @Autowired
    ResponseCache cache;

    HttpResponse<byte[]> get(String path, String acceptEncoding, String ifNoneMatch) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-API-Key", TestKeys.ADMIN);
        if (acceptEncoding != null) {
            b.header("Accept-Encoding", acceptEncoding);
        }
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Test
    void aLargePageTravelsCompressedInWhatTheClientAccepts() throws Exception {
        HttpResponse<byte[]> plain = get(PAGE, null, null);
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(header(plain, "Content-Encoding")).isNull();
        assertThat(String.join(",", plain.headers().allValues("Vary"))).contains("Accept-Encoding");
        assertThat(plain.body().length).as("a 1,000-row page").isGreaterThan(300_000);

        HttpResponse<byte[]> gzip = get(PAGE, "gzip, deflate", null);
        assertThat(header(gzip, "Content-Encoding")).isEqualTo("gzip");
        assertThat(gzip.body().length).isLessThan(80 * 1024);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip.body()))) {
            assertThat(in.readAllBytes()).isEqualTo(plain.body());
        }

        HttpResponse<byte[]> zstd = get(PAGE, "gzip, deflate, br, zstd", null);
        assertThat(header(zstd, "Content-Encoding")).isEqualTo("zstd");
        assertThat(zstd.body().length).isLessThan(80 * 1024);
        assertThat(Zstd.decompress(zstd.body(), plain.body().length)).isEqualTo(plain.body());

        // q=0 refuses an encoding; an unknown one is not used
        assertThat(header(get(PAGE, "zstd;q=0, gzip", null), "Content-Encoding"))
                .isEqualTo("gzip");
        assertThat(header(get(PAGE, "gzip;q=0, zstd;q=0.000", null), "Content-Encoding"))
                .isNull();
        assertThat(header(get(PAGE, "br", null), "Content-Encoding")).isNull();

        // each encoding has its own tag, and any of them shows the client's copy is current
        String plainTag = header(plain, "ETag");
        String gzipTag = header(gzip, "ETag");
        assertThat(gzipTag).isNotEqualTo(plainTag).isNotEqualTo(header(zstd, "ETag"));
        assertThat(get(PAGE, "gzip", plainTag).statusCode()).isEqualTo(304);
        assertThat(get(PAGE, null, gzipTag).statusCode()).isEqualTo(304);
    }

    @Test
    void aSmallBodyStaysPlain() throws Exception {
        HttpResponse<byte[]> one = get("/api/v1/products?page_size=1", "gzip, zstd", null);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body().length).isLessThan(Responses.MIN_COMPRESSED);
        assertThat(header(one, "Content-Encoding")).isNull();
        assertThat(new String(one.body(), StandardCharsets.UTF_8)).startsWith("{\"products\":[");
    }

    @Test
    void aCachedAnswerIsCompressedOnce() {
        String key = "compression-test|" + System.nanoTime();
        ResponseCache.Entry first =
                cache.get("test", key, () -> "x".repeat(5000).getBytes(StandardCharsets.UTF_8));
        byte[] gzip = first.body().in(Body.Encoding.GZIP);
        ResponseCache.Entry hit = cache.get("test", key, () -> {
            throw new AssertionError("a hit computes nothing");
        });
        assertThat(hit.level()).isEqualTo(ResponseCache.Level.L1);
        assertThat(hit.body().in(Body.Encoding.GZIP))
                .as("the same bytes, not compressed again")
                .isSameAs(gzip);
    }
}
