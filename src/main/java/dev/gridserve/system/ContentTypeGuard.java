package dev.gridserve.system;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request whose Content-Type is a wildcard ({@code *}{@code /*}, {@code application/*}): a body's type is
 * a fact, not a range, and Spring's functional routes (GraphQL's) fail on one before any controller could refuse
 * it, for every path. The refusal's own error dispatch passes through here too, with the header hidden, so that
 * the error page is not refused the same way.
 */
@Component
class ContentTypeGuard extends OncePerRequestFilter {
    /** Also on error dispatches (see above); registered so, and ordered, in WebConfig. */
    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    static final String WILDCARD = "The Content-Type header names a range of types (such as */* or application/*);"
            + " name the type of the body sent, such as application/json.";

    @Override
    protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws ServletException, IOException {
        String type = req.getContentType();
        if (type != null && wildcard(type)) {
            if (req.getDispatcherType() == DispatcherType.ERROR) {
                chain.doFilter(withoutContentType(req), res);
            } else {
                Problems.send(req, res, 415, WILDCARD);
            }
            return;
        }
        chain.doFilter(req, res);
    }

    private static HttpServletRequest withoutContentType(HttpServletRequest req) {
        return new HttpServletRequestWrapper(req) {
            @Override
            public String getContentType() {
                return null;
            }

            @Override
            public String getHeader(String name) {
                return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name) ? null : super.getHeader(name);
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)
                        ? Collections.emptyEnumeration()
                        : super.getHeaders(name);
            }

            @Override
            public Enumeration<String> getHeaderNames() {
                return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                        .filter(n -> !HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(n))
                        .toList());
            }
        };
    }

    private static boolean wildcard(String type) {
        try {
            MediaType t = MediaType.parseMediaType(type);
            return t.isWildcardType() || t.isWildcardSubtype();
        } catch (InvalidMediaTypeException e) {
            return false; // left to the endpoint, which says what it takes
        }
    }
}
