package dev.gridserve.security;

import dev.gridserve.system.Settings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Access control: whether reads need the reader role ({@code readsRequireAuth}; writes always need writer), an
 * admin key given by configuration ({@code adminKey}, e.g. from a secret store; at least 32 characters), how
 * often each instance re-reads the API keys ({@code keyRefreshInterval}: a revoked key stops working on every
 * instance within about that long), and which JWT claim holds a token's roles ({@code jwtRolesClaim}). Where
 * JWTs come from is configured by Spring Boot's own {@code spring.security.oauth2.resourceserver.jwt.*}.
 */
@ConfigurationProperties("gridserve.security")
public record SecurityProperties(
        boolean readsRequireAuth, String adminKey, Duration keyRefreshInterval, String jwtRolesClaim) {
    public SecurityProperties {
        adminKey = adminKey == null || adminKey.isBlank() ? null : adminKey.strip();
        if (adminKey != null && adminKey.length() < 32) {
            throw new IllegalArgumentException("ADMIN_API_KEY (gridserve.security.admin-key) must be at least 32"
                    + " characters of random text; got " + adminKey.length());
        }
        if (adminKey != null && ApiKeyFilter.looksLikeJwt(adminKey)) {
            throw new IllegalArgumentException("ADMIN_API_KEY (gridserve.security.admin-key) must not be shaped like"
                    + " a JWT (three parts joined by dots): bearer tokens of that shape are read as JWTs");
        }
        keyRefreshInterval = Settings.positive(
                keyRefreshInterval,
                Duration.ofMillis(500),
                "API_KEY_REFRESH_INTERVAL",
                "gridserve.security.key-refresh-interval");
        jwtRolesClaim = jwtRolesClaim == null || jwtRolesClaim.isBlank() ? "roles" : jwtRolesClaim.strip();
    }
}
