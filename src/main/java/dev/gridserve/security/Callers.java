package dev.gridserve.security;

import java.util.Optional;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Who is making the current request, as established by the security filters. */
public final class Callers {
    private Callers() {}

    /**
     * The name the audit trail records for the current caller: {@code key:NAME} for an API key,
     * {@code jwt:SUBJECT} for a token, {@code anonymous} otherwise.
     */
    public static String actor() {
        return authenticated(SecurityContextHolder.getContext().getAuthentication())
                .map(Authentication::getName)
                .orElse("anonymous");
    }

    /** {@code auth} when it is a real caller (not Spring Security's stand-in for anonymous requests). */
    static Optional<Authentication> authenticated(Authentication auth) {
        return auth == null || !auth.isAuthenticated() || auth instanceof AnonymousAuthenticationToken
                ? Optional.empty()
                : Optional.of(auth);
    }
}
