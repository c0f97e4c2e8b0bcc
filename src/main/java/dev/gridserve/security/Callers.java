package dev.gridserve.security;

import dev.gridserve.system.ApiException;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
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

    /**
     * Refuses the current caller unless it has {@code needed}, for work that one URL cannot tell apart (a GraphQL
     * mutation): 401 without credentials, 403 with too few rights, each with the sentence REST sends.
     */
    public static void require(Role needed, String what) {
        Optional<Authentication> auth =
                authenticated(SecurityContextHolder.getContext().getAuthentication());
        if (auth.isEmpty()) {
            throw new ApiException(
                    HttpStatus.UNAUTHORIZED,
                    what + " needs the " + needed.wire() + " role; send an API key (X-API-Key) or a bearer token.",
                    List.of(),
                    null);
        }
        Optional<Role> has = auth.flatMap(Role::of);
        if (has.filter(r -> r.includes(needed)).isEmpty()) {
            throw new ApiException(HttpStatus.FORBIDDEN, tooFewRights(what, needed, auth.get()), List.of(), null);
        }
    }

    /** Why an authenticated caller was refused, in a sentence: "{@code what} needs the writer role; ...". */
    static String tooFewRights(String what, Role needed, Authentication auth) {
        return what + " needs the " + needed.wire() + " role; the credentials sent have "
                + authenticated(auth)
                        .flatMap(Role::of)
                        .map(r -> "the " + r.wire() + " role.")
                        .orElse("no role.");
    }

    /** {@code auth} when it is a real caller (not Spring Security's stand-in for anonymous requests). */
    static Optional<Authentication> authenticated(Authentication auth) {
        return auth == null || !auth.isAuthenticated() || auth instanceof AnonymousAuthenticationToken
                ? Optional.empty()
                : Optional.of(auth);
    }
}
