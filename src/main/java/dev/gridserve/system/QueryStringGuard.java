package dev.gridserve.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Decodes the query string before anything else reads it. Tomcat decodes parameters lazily and throws on
 * malformed percent-encoding or bytes that are not UTF-8, wherever they happen to be read first (the security
 * firewall, a controller); here that becomes one clear 400.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class QueryStringGuard extends OncePerRequestFilter {
    static final String MALFORMED = "The query string is not valid: it has malformed percent-encoding (such as a"
            + " lone '%' or '%zz') or bytes that are not UTF-8. Encode '%' as %25 and send text as UTF-8.";

    @Override
    protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws ServletException, IOException {
        try {
            req.getParameterMap();
        } catch (IllegalArgumentException | IllegalStateException e) {
            Problems.send(req, res, 400, MALFORMED);
            return;
        }
        chain.doFilter(req, res);
    }
}
