package dev.gridserve.security;

import dev.gridserve.ratelimit.RateLimitFilter;
import dev.gridserve.system.Problems;
import dev.gridserve.system.SecurityHeaders;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.CorsFilter;

/**
 * The HTTP security chain, in order: security headers (and a Content-Security-Policy that lets the built-in UI
 * and the API docs run only scripts served by this application), CORS, API keys, JWTs (when an issuer is
 * configured), rate limits, then authorization by {@link AccessRules}. Authorization runs before any
 * controller, so neither the response cache nor an ETag can answer a request its credentials do not allow.
 * The API is stateless: no sessions, no cookies, hence no CSRF tokens. Every refusal is problem+json.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {
    static final String NEEDS_CREDENTIALS = "This request needs credentials: send an API key (X-API-Key header or"
            + " Authorization: Bearer KEY) or a bearer token.";
    static final String ISSUER_UNREACHABLE =
            "The bearer token could not be checked: the token issuer's keys are unavailable; retry shortly.";

    /**
     * The firewall rejects URLs that different layers could read differently (encoded slashes, '..', ';',
     * '//', control characters): a 400 rendered like every other error.
     */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return (req, res, e) -> {
            String why = e.getMessage() == null ? "" : e.getMessage();
            boolean method = why.contains("HTTP method");
            Problems.send(
                    req,
                    res,
                    method ? 405 : 400,
                    method ? FIREWALL_METHOD : why.contains("header") ? FIREWALL_HEADER : FIREWALL_URL);
        };
    }

    static final String FIREWALL_URL = "The request URL is not allowed: it contains an encoded slash, '..', ';',"
            + " '//', a control character or another sequence that could be read two ways.";
    static final String FIREWALL_METHOD =
            "That HTTP method is not supported; use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS.";
    static final String FIREWALL_HEADER = "A request header contains characters that are not allowed.";

    private static final RequestMatcher GRAPHIQL =
            PathPatternRequestMatcher.withDefaults().matcher("/graphiql");

    /**
     * GraphiQL's page (Spring for GraphQL's) loads React and GraphiQL from esm.sh through an inline import map,
     * so its page alone may run inline scripts and scripts from there; it still talks to this origin only.
     */
    static final String GRAPHIQL_POLICY = String.join(
            "; ",
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' https://esm.sh",
            "style-src 'self' 'unsafe-inline' https://esm.sh",
            "img-src 'self' data:",
            "font-src 'self' data: https://esm.sh",
            "connect-src 'self' https://esm.sh",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    @Bean
    SecurityFilterChain securityFilterChain(
            HttpSecurity http,
            CorsFilter cors,
            ApiKeys keys,
            AccessRules rules,
            SecurityProperties props,
            RateLimitFilter rateLimits,
            ObjectProvider<JwtDecoder> jwtDecoder)
            throws Exception {
        boolean jwt = jwtDecoder.getIfAvailable() != null;
        http.authorizeHttpRequests(a -> a.anyRequest().access(rules))
                .cors(c -> c.disable()) // our own CorsFilter below: reads from anywhere, writes from listed origins
                .addFilterAfter(cors, HeaderWriterFilter.class)
                .addFilterAfter(AccessTiming.start(), CorsFilter.class)
                .addFilterBefore(new ApiKeyFilter(keys, jwt), BearerTokenAuthenticationFilter.class)
                .addFilterBefore(rateLimits, AuthorizationFilter.class)
                .addFilterAfter(AccessTiming.stop(), AuthorizationFilter.class)
                .exceptionHandling(
                        e -> e.authenticationEntryPoint(needsCredentials()).accessDeniedHandler(tooFewRights(rules)))
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .formLogin(f -> f.disable())
                .httpBasic(b -> b.disable())
                .logout(l -> l.disable())
                .headers(h -> h.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                                new NegatedRequestMatcher(GRAPHIQL),
                                new StaticHeadersWriter(
                                        "Content-Security-Policy", SecurityHeaders.CONTENT_SECURITY_POLICY)))
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                                GRAPHIQL, new StaticHeadersWriter("Content-Security-Policy", GRAPHIQL_POLICY)))
                        .referrerPolicy(r -> r.policy(ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN))
                        .frameOptions(f -> f.deny())
                        // responses are validated with ETags; Spring Security's no-store would defeat them
                        .cacheControl(c -> c.disable()));
        if (jwt) {
            http.oauth2ResourceServer(
                    o -> o.jwt(j -> j.jwtAuthenticationConverter(new JwtCallers(props.jwtRolesClaim())))
                            .bearerTokenResolver(jwtsOnly())
                            .authenticationEntryPoint(tokenRefused()));
        }
        return http.build();
    }

    /** Only JWT-shaped bearer tokens are for the JWT filter; the others are API keys. */
    private static BearerTokenResolver jwtsOnly() {
        return req -> {
            String token = ApiKeyFilter.bearer(req.getHeader(HttpHeaders.AUTHORIZATION));
            return token != null && ApiKeyFilter.looksLikeJwt(token) ? token : null;
        };
    }

    private static AuthenticationEntryPoint needsCredentials() {
        return (req, res, e) -> {
            res.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            Problems.send(req, res, 401, NEEDS_CREDENTIALS);
        };
    }

    private static AccessDeniedHandler tooFewRights(AccessRules rules) {
        return (req, res, e) -> Problems.send(
                req,
                res,
                403,
                rules.refusal(req, SecurityContextHolder.getContext().getAuthentication()));
    }

    private static AuthenticationEntryPoint tokenRefused() {
        return SecurityConfig::tokenRefused;
    }

    private static void tokenRefused(HttpServletRequest req, HttpServletResponse res, AuthenticationException e)
            throws IOException {
        if (e instanceof AuthenticationServiceException) {
            res.setHeader(HttpHeaders.RETRY_AFTER, "5");
            Problems.send(req, res, 503, ISSUER_UNREACHABLE);
            return;
        }
        if (req.getHeader(HttpHeaders.AUTHORIZATION) == null) {
            res.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            Problems.send(req, res, 401, NEEDS_CREDENTIALS);
            return;
        }
        res.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
        Problems.send(req, res, 401, JwtCallers.refusal(e));
    }
}
