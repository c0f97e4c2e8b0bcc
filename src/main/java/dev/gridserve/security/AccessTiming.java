package dev.gridserve.security;

import dev.gridserve.system.ServerTiming;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Times access control for Server-Timing ({@code access;dur=...}): from before authentication (API key or JWT)
 * to after rate limiting and authorization, for every request that gets through, so its cost per request can be
 * measured from outside (the bench does).
 */
final class AccessTiming {
    private static final String STARTED = AccessTiming.class.getName() + ".started";

    private AccessTiming() {}

    static OncePerRequestFilter start() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
                    throws ServletException, IOException {
                req.setAttribute(STARTED, System.nanoTime());
                chain.doFilter(req, res);
            }
        };
    }

    static OncePerRequestFilter stop() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
                    throws ServletException, IOException {
                if (req.getAttribute(STARTED) instanceof Long started) {
                    ServerTiming.record("access", System.nanoTime() - started);
                }
                chain.doFilter(req, res);
            }
        };
    }
}
