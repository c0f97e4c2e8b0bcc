package dev.gridserve.ratelimit;

import dev.gridserve.system.ApiException;
import dev.gridserve.system.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies the rate limits to requests under /api, after authentication (so a key's requests count against the
 * key wherever they come from) and before authorization and the controllers. Every limited response says where
 * the caller stands (RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset in seconds); a refused one is a 429
 * with Retry-After. It runs inside the security filter chain, not as a servlet filter of its own.
 */
@Component
public class RateLimitFilter extends OncePerRequestFilter {
    private final RateLimiter limiter;
    private final RateLimitProperties props;
    private final ClientAddress addresses;

    RateLimitFilter(RateLimiter limiter, RateLimitProperties props) {
        this.limiter = limiter;
        this.props = props;
        this.addresses = new ClientAddress(props.trustedProxies());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest req) {
        return !props.enabled()
                || !(req.getRequestURI().startsWith(req.getContextPath() + "/api/") || graphQl(req))
                || "OPTIONS".equals(req.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws ServletException, IOException {
        // a GraphQL request counts as a read; each mutation in it is charged as a write as well (chargeWrite)
        boolean read = "GET".equals(req.getMethod()) || "HEAD".equals(req.getMethod()) || graphQl(req);
        RateLimiter.Verdict v = limiter.consume(caller(req), read ? RateLimiter.Budget.READ : RateLimiter.Budget.WRITE);
        res.setHeader("RateLimit-Limit", Long.toString(v.limit()));
        res.setHeader("RateLimit-Remaining", Long.toString(v.remaining()));
        res.setHeader("RateLimit-Reset", Long.toString(v.resetSeconds()));
        if (!v.allowed()) {
            res.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(v.retryAfterSeconds()));
            Problems.send(req, res, 429, refusal(read, v));
            return;
        }
        chain.doFilter(req, res);
    }

    /**
     * Charges the current request's caller one write, for a write its URL does not show (a GraphQL mutation); a
     * 429 when the caller's write budget is spent, with the sentence a REST write would get.
     */
    public void chargeWrite() {
        if (!props.enabled()) {
            return;
        }
        HttpServletRequest req =
                ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest();
        RateLimiter.Verdict v = limiter.consume(caller(req), RateLimiter.Budget.WRITE);
        if (!v.allowed()) {
            throw new ApiException(
                    HttpStatus.TOO_MANY_REQUESTS, refusal(false, v), List.of(), (int) v.retryAfterSeconds());
        }
    }

    /** Why a request over its budget is refused, and when to retry. */
    private String refusal(boolean read, RateLimiter.Verdict v) {
        long perSecond = read ? props.readsPerSecond() : props.writesPerSecond();
        return "Too many " + (read ? "reads" : "writes") + " from this client: the limit is " + perSecond
                + " per second with bursts of up to " + v.limit() + "; retry in " + v.retryAfterSeconds() + " s.";
    }

    private static boolean graphQl(HttpServletRequest req) {
        return req.getRequestURI().equals(req.getContextPath() + "/graphql");
    }

    /** Whose bucket: the authenticated caller's name ("key:..." or "jwt:..."), else the client's address. */
    private String caller(HttpServletRequest req) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.isAuthenticated() && !(auth instanceof AnonymousAuthenticationToken)) {
            return auth.getName();
        }
        return "ip:" + addresses.of(req);
    }
}
