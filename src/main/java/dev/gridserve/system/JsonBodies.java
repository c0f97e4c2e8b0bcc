package dev.gridserve.system;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads JSON request bodies with explicit limits: JSON media type (415), size (413), well-formed with no
 * duplicate keys or trailing data (400). Decimals are read exactly, so a price is never rounded on the way in.
 */
@Component
public class JsonBodies {
    private final JsonMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private final WebProperties web;

    JsonBodies(WebProperties web) {
        this.web = web;
    }

    public JsonNode read(HttpServletRequest req) {
        String type = req.getContentType();
        if (type == null || !isJson(type)) {
            throw new ApiException(
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "The request body must be sent as application/json.",
                    java.util.List.of(),
                    null);
        }
        int max = web.maxBodyBytes();
        if (req.getContentLengthLong() > max) {
            throw tooLarge(max);
        }
        byte[] body;
        try (InputStream in = req.getInputStream()) {
            body = in.readNBytes(max + 1);
        } catch (IOException e) {
            throw ApiException.badRequest("The request body could not be read.");
        }
        if (body.length > max) {
            throw tooLarge(max);
        }
        if (body.length == 0) {
            throw ApiException.badRequest("The request body is empty; send a JSON object.");
        }
        try {
            return mapper.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badRequest("The request body is not valid JSON: " + e.getOriginalMessage() + ".");
        }
    }

    private static boolean isJson(String contentType) {
        try {
            MediaType t = MediaType.parseMediaType(contentType);
            return MediaType.APPLICATION_JSON.isCompatibleWith(t)
                    || (t.getSubtype().endsWith("+json") && t.getType().equals("application"));
        } catch (org.springframework.util.InvalidMimeTypeException e) {
            return false;
        }
    }

    private static ApiException tooLarge(int max) {
        return new ApiException(
                HttpStatus.CONTENT_TOO_LARGE,
                "The request body is larger than the limit of " + max + " bytes.",
                java.util.List.of(),
                null);
    }
}
