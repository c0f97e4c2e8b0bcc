package dev.gridserve.security;

import dev.gridserve.system.ApiException;
import dev.gridserve.system.JsonBodies;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Key management (admin role): list keys, create one (its key is in the answer, and nowhere else), revoke. */
@RestController
@RequestMapping(value = "/api/v1/admin/keys", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "admin")
class ApiKeyController {
    /** Key names: letters, digits, '.', '_' and '-', so they read the same in logs, URLs and the audit trail. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private final ApiKeys keys;
    private final JsonBodies bodies;

    ApiKeyController(ApiKeys keys, JsonBodies bodies) {
        this.keys = keys;
        this.bodies = bodies;
    }

    record KeyList(List<ApiKeys.Listed> keys) {}

    @GetMapping
    @Operation(summary = "Every API key ever created, revoked ones included; never their secrets")
    KeyList list() {
        return new KeyList(keys.list());
    }

    @PostMapping(consumes = MediaType.ALL_VALUE)
    @Operation(
            summary = "Create an API key: {\"name\": \"...\", \"role\": \"reader|writer|admin\"}",
            description = "201 with the key in `key`: it is shown this once and stored only as a hash.")
    ResponseEntity<ApiKeys.Created> create(HttpServletRequest req) {
        JsonNode body = bodies.read(req);
        if (!body.isObject()) {
            throw ApiException.badRequest("The body must be a JSON object with a name and a role.");
        }
        String name = text(body, "name");
        String role = text(body, "role");
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.invalid(
                    "name", "must be 1 to 100 letters, digits, '.', '_' or '-', such as \"catalogue-importer\"");
        }
        Role r = Role.fromWire(role)
                .orElseThrow(() -> ApiException.invalid("role", "must be \"reader\", \"writer\" or \"admin\""));
        try {
            ApiKeys.Created created = keys.create(name, r);
            return ResponseEntity.created(URI.create("/api/v1/admin/keys/" + name))
                    .body(created);
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict("An API key named '" + name + "' already exists (revoked keys keep their"
                    + " names); choose another name.");
        }
    }

    @DeleteMapping("/{name}")
    @Operation(
            summary = "Revoke a key: it stops working on every instance within about a second (204; 404 if"
                    + " no working key has that name)")
    ResponseEntity<Void> revoke(@PathVariable("name") String name) {
        if (!NAME.matcher(name).matches() || !keys.revoke(name)) {
            throw ApiException.notFound("No working API key is named '" + shown(name) + "'.");
        }
        return ResponseEntity.noContent().build();
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v != null && v.isString() ? v.asString() : null;
    }

    private static String shown(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
