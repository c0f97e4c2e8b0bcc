package dev.gridserve.system;

import java.util.Map;

/**
 * The security headers of every response. Spring Security writes them on the normal path; error answers that
 * bypass its filters (Tomcat's own rejections, and error pages for requests that never reached the filters)
 * get them from here, so no response goes without.
 */
public final class SecurityHeaders {
    /**
     * Styles may be inline (Tabulator and ReDoc set them at run time); scripts, frames and plugins may not.
     * ReDoc's search runs in a worker created from a blob.
     */
    public static final String CONTENT_SECURITY_POLICY = String.join(
            "; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    public static final String REFERRER_POLICY = "strict-origin-when-cross-origin";

    static final Map<String, String> ALL = Map.of(
            "X-Content-Type-Options",
            "nosniff",
            "X-Frame-Options",
            "DENY",
            "Referrer-Policy",
            REFERRER_POLICY,
            "Content-Security-Policy",
            CONTENT_SECURITY_POLICY);

    private SecurityHeaders() {}
}
