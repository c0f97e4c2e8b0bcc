package dev.gridserve.api;

import dev.gridserve.system.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses what the GraphQL handler would answer with a bare status and no body (a GET, a body that is not JSON)
 * as problem+json with a sentence, like every other refusal of the service.
 */
@Component
class GraphQlRequestGuard extends OncePerRequestFilter {
    @Override
    protected boolean shouldNotFilter(HttpServletRequest req) {
        return !req.getRequestURI().equals(req.getContextPath() + "/graphql");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws ServletException, IOException {
        if ("OPTIONS".equals(req.getMethod())) {
            chain.doFilter(req, res);
            return;
        }
        if (!"POST".equals(req.getMethod())) {
            res.setHeader(HttpHeaders.ALLOW, "POST");
            Problems.send(req, res, 405, "GraphQL requests are POSTed to /graphql as JSON: {\"query\": \"...\"}.");
            return;
        }
        if (!json(req.getContentType())) {
            Problems.send(
                    req,
                    res,
                    415,
                    "A GraphQL request is sent as JSON (Content-Type: application/json): {\"query\": \"...\"}.");
            return;
        }
        chain.doFilter(req, res);
    }

    private static boolean json(String contentType) {
        try {
            MediaType t = MediaType.parseMediaType(contentType);
            return t.isCompatibleWith(MediaType.APPLICATION_JSON)
                    || t.isCompatibleWith(MediaType.APPLICATION_GRAPHQL_RESPONSE);
        } catch (RuntimeException e) { // none, or not a media type
            return false;
        }
    }
}
