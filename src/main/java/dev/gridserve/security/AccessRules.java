package dev.gridserve.security;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.stereotype.Component;

/**
 * Which role each request needs, in one place: key management needs admin; a product's history and every
 * other method than GET/HEAD/OPTIONS under /api need writer; reads under /api are public, or need reader when
 * {@code readsRequireAuth} is set, and so is /graphql (its mutations need writer, checked per mutation). The UI,
 * GraphiQL, the API docs and health are public. The firewall in front has
 * already refused URLs that could be read two ways, so the path is matched as sent.
 */
@Component
class AccessRules implements AuthorizationManager<RequestAuthorizationContext> {
    private static final Pattern HISTORY = Pattern.compile("/api/v1/[^/]+/[^/]+/history");
    private static final Pattern JOBS = Pattern.compile("/api/v1/jobs(/.*)?");

    private final boolean readsRequireAuth;

    AccessRules(SecurityProperties props) {
        this.readsRequireAuth = props.readsRequireAuth();
    }

    /** The role {@code req} needs; empty when anyone may make it. */
    Optional<Role> required(HttpServletRequest req) {
        if (req.getDispatcherType() == DispatcherType.ERROR) {
            return Optional.empty(); // rendering an error already decided on
        }
        String path = req.getRequestURI().substring(req.getContextPath().length());
        if (path.equals("/graphql")) {
            // queries read; each mutation checks the writer role itself (Callers.require)
            return readsRequireAuth ? Optional.of(Role.READER) : Optional.empty();
        }
        if (!path.startsWith("/api/") || path.equals("/api/v1/auth/me")) {
            return Optional.empty();
        }
        if (path.startsWith("/api/v1/admin/") || path.equals("/api/v1/admin")) {
            return Optional.of(Role.ADMIN);
        }
        if (HISTORY.matcher(path).matches() || JOBS.matcher(path).matches()) {
            return Optional.of(Role.WRITER);
        }
        return switch (req.getMethod()) {
            case "GET", "HEAD" -> readsRequireAuth ? Optional.of(Role.READER) : Optional.empty();
            case "OPTIONS" -> Optional.empty();
            default -> Optional.of(Role.WRITER);
        };
    }

    @Override
    public AuthorizationResult authorize(
            Supplier<? extends Authentication> authentication, RequestAuthorizationContext context) {
        Optional<Role> needed = required(context.getRequest());
        if (needed.isEmpty()) {
            return new AuthorizationDecision(true);
        }
        return new AuthorizationDecision(Callers.authenticated(authentication.get())
                .flatMap(Role::of)
                .filter(r -> r.includes(needed.get()))
                .isPresent());
    }

    /** Why an authenticated caller was refused, in a sentence. */
    String refusal(HttpServletRequest req, Authentication auth) {
        return Callers.tooFewRights("This request", required(req).orElse(Role.READER), auth);
    }
}
