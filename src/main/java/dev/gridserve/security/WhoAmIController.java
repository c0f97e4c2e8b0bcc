package dev.gridserve.security;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Who the credentials sent are (the UI checks a key with it and shows the role); public. */
@RestController
@Tag(name = "auth")
class WhoAmIController {
    private final SecurityProperties props;

    WhoAmIController(SecurityProperties props) {
        this.props = props;
    }

    /** {@code name} and {@code role} are null for anonymous callers. */
    record Me(boolean authenticated, String name, String role, boolean readsRequireAuth) {}

    @GetMapping(value = "/api/v1/auth/me", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The caller's name and role, as established from the credentials sent")
    Me me() {
        return Callers.authenticated(SecurityContextHolder.getContext().getAuthentication())
                .map(a -> new Me(true, a.getName(), Role.of(a).map(Role::wire).orElse(null), props.readsRequireAuth()))
                .orElseGet(() -> new Me(false, null, null, props.readsRequireAuth()));
    }
}
