package dev.gridserve.api;

import dev.gridserve.cache.ResponseCache;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** How a read's answer is sent, for every table. */
public final class Responses {
    private Responses() {}

    /** Adds X-Cache and an ETag (data version + request); a matching If-None-Match gets a bodiless 304. */
    public static ResponseEntity<byte[]> respond(HttpServletRequest req, ResponseCache.Entry e) {
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON);
        if (e.digest() != null) {
            String etag = "\"" + e.digest() + "\"";
            String match = req.getHeader(HttpHeaders.IF_NONE_MATCH);
            if (match != null && (match.equals(etag) || match.contains(etag))) {
                return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
            }
            ok.eTag(etag);
        }
        return ok.header("X-Cache", e.level().header).body(e.body());
    }
}
