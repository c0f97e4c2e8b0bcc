package dev.gridserve.system;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

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
     * Styles may be inline (Tabulator and ReDoc set them at run time); scripts, frames and plugins may not.
     * ReDoc's search runs in a worker created from a blob.
     */
    static final String CONTENT_SECURITY_POLICY = String.join(
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

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .formLogin(f -> f.disable())
                .httpBasic(b -> b.disable())
                .logout(l -> l.disable())
                .headers(h -> h.contentSecurityPolicy(c -> c.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(r -> r.policy(ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN))
                        .frameOptions(f -> f.deny())
                        // responses are validated with ETags; Spring Security's no-store would defeat them
                        .cacheControl(c -> c.disable()));
        return http.build();
    }
}
