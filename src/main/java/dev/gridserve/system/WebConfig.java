package dev.gridserve.system;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.filter.CorsFilter;

/**
 * CORS: any origin may read ({@code CORS_ORIGINS}); only the origins in {@code CORS_WRITE_ORIGINS} may also
 * write, so a web page someone opens elsewhere cannot change the catalogue through their browser. A refused
 * cross-origin request is a 403 rendered like every other error. Requests from the same origin, and from
 * clients that are not browsers (no Origin header), are not cross-origin and pass.
 */
@Configuration(proxyBeanMethods = false)
class WebConfig {
    static final List<String> EXPOSED = List.of(
            "X-Process-Time",
            "Server-Timing",
            "Location",
            "X-Cache",
            "Age",
            "ETag",
            "Retry-After",
            "RateLimit-Limit",
            "RateLimit-Remaining",
            "RateLimit-Reset");
    static final String REFUSED = "This cross-origin request is not allowed: any origin may read, but only the"
            + " origins in CORS_WRITE_ORIGINS may write.";

    @Bean
    CorsFilter corsFilter(WebProperties web) {
        CorsConfiguration read = new CorsConfiguration();
        if (web.corsOrigins().contains("*")) {
            read.setAllowedOrigins(List.of("*")); // answered with "*", never by echoing the caller's Origin
        } else {
            read.setAllowedOriginPatterns(web.corsOrigins());
        }
        read.setAllowedMethods(List.of("GET", "HEAD"));
        read.setAllowedHeaders(List.of("*"));
        read.setExposedHeaders(EXPOSED);
        read.setMaxAge(3600L);
        CorsConfiguration write = new CorsConfiguration(read);
        write.setAllowedOrigins(null);
        write.setAllowedOriginPatterns(web.corsWriteOrigins());
        write.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"));
        CorsConfigurationSource source = req -> write.checkOrigin(req.getHeader("Origin")) != null ? write : read;
        CorsFilter filter = new CorsFilter(source);
        filter.setCorsProcessor(new DefaultCorsProcessor() {
            @Override
            public boolean processRequest(
                    CorsConfiguration config, HttpServletRequest request, HttpServletResponse response)
                    throws IOException {
                boolean ok = super.processRequest(config, request, response);
                if (!ok) {
                    Problems.send(request, response, 403, REFUSED);
                }
                return ok;
            }

            @Override
            protected void rejectRequest(ServerHttpResponse response) {
                // reported by processRequest through the error page, as problem+json
            }
        });
        return filter;
    }

    /** It runs inside the security filter chain (see SecurityConfig), not a second time as a servlet filter. */
    @Bean
    FilterRegistrationBean<CorsFilter> corsFilterNotOnItsOwn(CorsFilter filter) {
        FilterRegistrationBean<CorsFilter> r = new FilterRegistrationBean<>(filter);
        r.setEnabled(false);
        return r;
    }

    /** On error dispatches too: the refusal's error page must get past the functional routes (see the guard). */
    @Bean
    FilterRegistrationBean<ContentTypeGuard> contentTypeGuardOnErrorsToo(ContentTypeGuard guard) {
        FilterRegistrationBean<ContentTypeGuard> r = new FilterRegistrationBean<>(guard);
        r.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
        r.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return r;
    }
}
