package dev.gridserve.system;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.web.filter.CorsFilter;

/**
 * The HTTP security baseline: security headers on every response and a Content-Security-Policy that lets the
 * built-in UI and the API docs run only scripts served by this application (no inline scripts or handlers),
 * so a value that slipped past the UI's escaping still cannot execute. The API is stateless JSON: no
 * sessions, no cookies, hence no CSRF tokens. Every request is allowed for now; who may write is decided by
 * access control, which builds on this chain.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {
    /**
     * The firewall rejects URLs that different layers could read differently (encoded slashes, '..', ';',
     * '//', control characters): a 400 rendered like every other error.
     */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return (req, res, e) -> {
            String why = e.getMessage() == null ? "" : e.getMessage();
            boolean method = why.contains("HTTP method");
            req.setAttribute(
                    ErrorPages.DETAIL,
                    method ? FIREWALL_METHOD : why.contains("header") ? FIREWALL_HEADER : FIREWALL_URL);
            res.sendError(method ? 405 : 400);
        };
    }

    static final String FIREWALL_URL = "The request URL is not allowed: it contains an encoded slash, '..', ';',"
            + " '//', a control character or another sequence that could be read two ways.";
    static final String FIREWALL_METHOD =
            "That HTTP method is not supported; use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS.";
    static final String FIREWALL_HEADER = "A request header contains characters that are not allowed.";

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, CorsFilter cors) throws Exception {
        http.authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .cors(c -> c.disable()) // our own CorsFilter below: reads from anywhere, writes from listed origins
                .addFilterAfter(cors, HeaderWriterFilter.class)
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .formLogin(f -> f.disable())
                .httpBasic(b -> b.disable())
                .logout(l -> l.disable())
                .headers(h -> h.contentSecurityPolicy(c -> c.policyDirectives(SecurityHeaders.CONTENT_SECURITY_POLICY))
                        .referrerPolicy(r -> r.policy(ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN))
                        .frameOptions(f -> f.deny())
                        // responses are validated with ETags; Spring Security's no-store would defeat them
                        .cacheControl(c -> c.disable()));
        return http.build();
    }
}
