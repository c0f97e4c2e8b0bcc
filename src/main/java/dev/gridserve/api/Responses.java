package dev.gridserve.api;

import dev.gridserve.cache.Body;
import dev.gridserve.cache.ResponseCache;
import dev.gridserve.system.NativeZstd;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** How a read's answer is sent, for every table. */
public final class Responses {
    /** Smaller bodies travel as they are: compressing them saves less than it costs. */
    static final int MIN_COMPRESSED = 1024;

    private Responses() {}

    /**
     * Adds X-Cache and an ETag (data version + request, and the encoding); a matching If-None-Match gets a
     * bodiless 304. A body of at least {@link #MIN_COMPRESSED} bytes is sent in zstd or gzip when the client
     * accepts it, compressed once per cached answer.
     */
    public static ResponseEntity<byte[]> respond(HttpServletRequest req, ResponseCache.Entry e) {
        Body body = e.body();
        Body.Encoding enc = body.plain().length < MIN_COMPRESSED
                ? Body.Encoding.IDENTITY
                : negotiate(req.getHeader(HttpHeaders.ACCEPT_ENCODING));
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
        if (e.digest() != null) {
            // each encoding is its own representation, with its own tag; any of them is still current
            String etag = "\"" + e.digest() + (enc.header == null ? "" : "-" + enc.header) + "\"";
            String match = req.getHeader(HttpHeaders.IF_NONE_MATCH);
            if (match != null && match.contains("\"" + e.digest())) {
                return ResponseEntity.status(HttpStatus.NOT_MODIFIED)
                        .eTag(etag)
                        .header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING)
                        .build();
            }
            ok.eTag(etag);
        }
        if (enc.header != null) {
            ok.header(HttpHeaders.CONTENT_ENCODING, enc.header);
        }
        if (e.level() == ResponseCache.Level.STALE) {
            // how long ago the data it shows was last seen current, in whole seconds (RFC 9111 Age)
            ok.header(HttpHeaders.AGE, Long.toString(e.ageSeconds()));
        }
        return ok.header("X-Cache", e.level().header).body(body.in(enc));
    }

    /** The best encoding {@code accept} allows (an Accept-Encoding header; q=0 refuses one), zstd first. */
    static Body.Encoding negotiate(String accept) {
        if (accept == null || accept.length() > 256) {
            return Body.Encoding.IDENTITY;
        }
        boolean zstd = false;
        boolean gzip = false;
        for (String part : accept.toLowerCase(Locale.ROOT).split(",")) {
            String[] p = part.split(";");
            String coding = p[0].strip();
            boolean refused = false;
            for (int i = 1; i < p.length; i++) {
                String param = p[i].strip().replace(" ", "");
                if (param.startsWith("q=")) {
                    refused = param.substring(2).matches("0(\\.0{0,3})?");
                }
            }
            if (refused) {
                continue;
            }
            zstd |= coding.equals("zstd");
            gzip |= coding.equals("gzip") || coding.equals("x-gzip") || coding.equals("*");
        }
        return zstd && NativeZstd.available() ? Body.Encoding.ZSTD : gzip ? Body.Encoding.GZIP : Body.Encoding.IDENTITY;
    }
}
