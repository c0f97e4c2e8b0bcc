package dev.gridserve.system;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.InvalidMimeTypeException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads JSON request bodies with explicit limits: {@code application/json} (or {@code +json}) in UTF-8 (415
 * otherwise), at most {@code MAX_BODY_BYTES} (413), well-formed, one value, no duplicate keys, nesting, names,
 * strings and numbers within bounds (400, saying what is wrong and where in plain words). Decimals are read
 * exactly, so a price is never rounded on the way in.
 */
@Component
public class JsonBodies {
    static final int MAX_DEPTH = 16;
    static final int MAX_NAME_LENGTH = 256;
    static final int MAX_NUMBER_LENGTH = 64;

    private final JsonMapper mapper = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .maxNameLength(MAX_NAME_LENGTH)
                            .maxNumberLength(MAX_NUMBER_LENGTH)
                            .build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private final WebProperties web;

    JsonBodies(WebProperties web) {
        this.web = web;
    }

    /** The reader of request bodies, with their limits: for bodies that hold one JSON value per line. */
    public JsonMapper mapper() {
        return mapper;
    }

    public JsonNode read(HttpServletRequest req) {
        requireJson(req.getContentType());
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
        if (!utf8(body)) {
            throw ApiException.badRequest("The request body is not valid UTF-8.");
        }
        try {
            return mapper.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badRequest("The request body is not valid JSON: " + describe(e) + ".");
        }
    }

    /** JSON media types only, in UTF-8: anything else (a wildcard, another charset) was probably not meant. */
    private static void requireJson(String contentType) {
        MediaType t = null;
        try {
            t = contentType == null ? null : MediaType.parseMediaType(contentType);
        } catch (InvalidMimeTypeException e) {
            // reported below
        }
        boolean json = t != null
                && !t.isWildcardType()
                && !t.isWildcardSubtype()
                && t.getType().equals("application")
                && (t.getSubtype().equals("json") || t.getSubtype().endsWith("+json"));
        String charset = t == null ? null : t.getParameter("charset");
        if (!json || charset != null && !charset.replace("\"", "").equalsIgnoreCase("utf-8")) {
            throw new ApiException(
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "The request body must be sent as application/json in UTF-8 (Content-Type: application/json).",
                    List.of(),
                    null);
        }
    }

    private static boolean utf8(byte[] body) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(body));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** What is wrong, in the client's terms, with where it is when the parser knows. */
    static String describe(JacksonException e) {
        String what;
        String msg = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof StreamConstraintsException) {
            what = msg.contains("nesting depth")
                    ? "objects and arrays are nested more than " + MAX_DEPTH + " levels deep"
                    : msg.contains("Name length")
                            ? "a key is longer than " + MAX_NAME_LENGTH + " characters"
                            : msg.contains("Number value length")
                                    ? "a number has more than " + MAX_NUMBER_LENGTH + " characters"
                                    : "a value is longer than allowed";
        } else if (e instanceof UnexpectedEndOfInputException) {
            what = "it ends before the value is complete";
        } else if (msg.startsWith("Duplicate Object property")) {
            what = "a key appears more than once in one object" + quoted(msg);
        } else if (e instanceof MismatchedInputException && msg.startsWith("Trailing token")) {
            what = "there is more after the JSON value";
        } else if (msg.startsWith("Unexpected character")) {
            what = "unexpected character" + character(msg);
        } else if (msg.startsWith("Unrecognized token")) {
            what = "unrecognized word" + quoted(msg) + " (strings need double quotes)";
        } else if (msg.contains("Non-standard token") || msg.contains("NaN") || msg.contains("Infinity")) {
            what = "NaN and Infinity are not JSON numbers";
        } else if (msg.contains("Leading zeroes") || msg.contains("leading zero")) {
            what = "a number starts with a zero";
        } else if (msg.contains("Invalid UTF-8") || msg.contains("Invalid UTF8")) {
            what = "it is not valid UTF-8";
        } else if (msg.contains("control character") || msg.contains("Illegal unquoted character")) {
            what = "a string contains an unescaped control character";
        } else {
            what = "it is malformed";
        }
        TokenStreamLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1
                ? what
                : what + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /** The first double-quoted or single-quoted name in a parser message, as " 'name'" (at most 40 chars). */
    private static String quoted(String msg) {
        int a = msg.indexOf('"');
        int b = a < 0 ? -1 : msg.indexOf('"', a + 1);
        if (a < 0 || b < 0) {
            a = msg.indexOf('\'');
            b = a < 0 ? -1 : msg.indexOf('\'', a + 1);
        }
        if (a < 0 || b < 0) {
            return "";
        }
        String name = msg.substring(a + 1, b);
        return " '" + (name.length() > 40 ? name.substring(0, 40) + "..." : name) + "'";
    }

    /** "Unexpected character ('}' (code 125))" -> " '}'". */
    private static String character(String msg) {
        int a = msg.indexOf("('");
        int b = a < 0 ? -1 : msg.indexOf("' (code", a);
        return a < 0 || b < 0 ? "" : " '" + msg.substring(a + 2, b) + "'";
    }

    private static ApiException tooLarge(int max) {
        return new ApiException(
                HttpStatus.CONTENT_TOO_LARGE,
                "The request body is larger than the limit of " + max + " bytes.",
                List.of(),
                null);
    }
}
