package dev.gridserve.security;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;

/**
 * JWTs as callers: roles from the claim named by {@code jwtRolesClaim} ("reader", "writer", "admin"; other
 * values are ignored), named {@code jwt:SUBJECT} in the audit trail and for rate limits.
 */
final class JwtCallers implements Converter<Jwt, AbstractAuthenticationToken> {
    private final JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();

    JwtCallers(String rolesClaim) {
        roles.setAuthoritiesClaimName(rolesClaim);
        roles.setAuthorityPrefix("ROLE_");
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        Set<GrantedAuthority> granted = new LinkedHashSet<>(roles.convert(jwt));
        for (Role r : Role.values()) {
            if (granted.contains(new SimpleGrantedAuthority(r.authority()))) {
                granted.addAll(r.authorities()); // a role includes those below it, as for API keys
            }
        }
        String subject = jwt.getSubject() == null ? "(no subject)" : jwt.getSubject();
        return new JwtAuthenticationToken(jwt, granted, "jwt:" + subject);
    }

    /**
     * A plain sentence for a refused token. The validators' own messages name the check that failed; they are
     * mapped to sentences rather than passed on.
     */
    static String refusal(AuthenticationException e) {
        String why = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (why.contains("expired")) {
            return "The bearer token has expired; get a new one.";
        }
        if (why.contains("nbf") || why.contains("not before") || why.contains("before")) {
            return "The bearer token is not valid yet (its not-before time is in the future).";
        }
        if (why.contains("iss")) {
            return "The bearer token was issued by an issuer this service does not trust.";
        }
        if (why.contains("aud")) {
            return "The bearer token is meant for another audience than this service.";
        }
        if (why.contains("signature") || why.contains("jws") || why.contains("key")) {
            return "The bearer token's signature could not be verified.";
        }
        return "The bearer token could not be read or is not valid.";
    }
}
