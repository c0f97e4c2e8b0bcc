package dev.gridserve.security;

import dev.gridserve.system.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates requests that carry an API key, in {@code X-API-Key} or as {@code Authorization: Bearer KEY}.
 * A key that is not valid (unknown, wrong, revoked) is a 401 at once: a caller that sent credentials wants to
 * know they failed, rather than be treated as anonymous. Bearer tokens shaped like a JWT are left to the JWT
 * filter, or refused here when no token issuer is configured. Other schemes (Basic, which a proxy in front may
 * use) are not ours and are ignored.
 */
final class ApiKeyFilter extends OncePerRequestFilter {
    static final String HEADER = "X-API-Key";
    static final String INVALID = "The API key is not valid: it is unknown, mistyped or has been revoked.";
    static final String BOTH = "Send one credential, either an X-API-Key header or an Authorization header, not both.";
    static final String NO_ISSUER =
            "Bearer tokens (JWTs) are not accepted here: no token issuer is configured." + " Send an API key instead.";
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    private final ApiKeys keys;
    private final boolean jwtAccepted;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    ApiKeyFilter(ApiKeys keys, boolean jwtAccepted) {
        this.keys = keys;
        this.jwtAccepted = jwtAccepted;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws ServletException, IOException {
        String header = req.getHeader(HEADER);
        String authorization = req.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && authorization != null) {
            Problems.send(req, res, 400, BOTH);
            return;
        }
        String bearer = bearer(authorization);
        if (bearer != null && looksLikeJwt(bearer)) {
            if (jwtAccepted) {
                chain.doFilter(req, res); // the JWT filter decides
            } else {
                res.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
                Problems.send(req, res, 401, NO_ISSUER);
            }
            return;
        }
        String presented = header != null ? header.strip() : bearer;
        if (presented == null) {
            chain.doFilter(req, res);
            return;
        }
        Optional<ApiKeys.Owner> owner = presented.length() <= 200 ? keys.verify(presented) : Optional.empty();
        if (owner.isEmpty()) {
            res.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
            Problems.send(req, res, 401, INVALID);
            return;
        }
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(new ApiKeyAuthentication(owner.get()));
        contexts.setContext(context);
        chain.doFilter(req, res);
    }

    /** The token of {@code Authorization: Bearer TOKEN}; null for no header or another scheme. */
    static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).strip();
    }

    /** Three base64url parts joined by dots, as every JWT is; our keys never contain dots. */
    static boolean looksLikeJwt(String token) {
        return JWT.matcher(token).matches();
    }
}
