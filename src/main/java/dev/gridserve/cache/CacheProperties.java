package dev.gridserve.cache;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * Response cache: in-process L1 (bounded by bytes) and Redis L2 (shared by instances). No Redis configured
 * means L1 only. Redis calls time out quickly; after {@code breakerFailures} failures in a row Redis is left
 * alone for {@code breakerOpenFor}, then tried again.
 */
@ConfigurationProperties("gridserve.cache")
public record CacheProperties(
        boolean enabled,
        @DurationUnit(ChronoUnit.SECONDS) Duration ttl,
        long l1MaxBytes,
        String redisUrl,
        String redisHost,
        int redisPort,
        String redisPassword,
        int redisPoolSize,
        Duration redisTimeout,
        int breakerFailures,
        Duration breakerOpenFor) {

    public CacheProperties {
        ttl = ttl == null || ttl.isZero() || ttl.isNegative() ? Duration.ofSeconds(300) : ttl;
        l1MaxBytes = l1MaxBytes <= 0 ? 64L * 1024 * 1024 : l1MaxBytes;
        redisPort = redisPort <= 0 ? 6379 : redisPort;
        redisPoolSize = redisPoolSize <= 0 ? 4 : redisPoolSize;
        redisTimeout = redisTimeout == null ? Duration.ofMillis(50) : redisTimeout;
        breakerFailures = breakerFailures <= 0 ? 5 : breakerFailures;
        breakerOpenFor = breakerOpenFor == null ? Duration.ofSeconds(10) : breakerOpenFor;
    }

    /** The Redis URI to use, or null when no Redis is configured. */
    public String redisUri() {
        if (redisUrl != null && !redisUrl.isBlank()) {
            return redisUrl.strip();
        }
        if (redisHost != null && !redisHost.isBlank()) {
            String auth = redisPassword == null || redisPassword.isBlank() ? "" : ":" + redisPassword + "@";
            return "redis://" + auth + redisHost.strip() + ":" + redisPort;
        }
        return null;
    }
}
