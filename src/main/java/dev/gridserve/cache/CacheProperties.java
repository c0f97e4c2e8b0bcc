package dev.gridserve.cache;

import dev.gridserve.system.Settings;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * Response cache: in-process L1 (bounded by bytes) and Redis L2 (shared by instances). No Redis configured
 * means L1 only. Redis calls time out quickly; after {@code breakerFailures} failures in a row Redis is left
 * alone for {@code breakerOpenFor}, then tried again. What one instance writes to Redis is bounded: no entry over
 * {@code l2MaxEntryBytes}, and at most {@code l2BudgetBytes} written per TTL (entries expire after it), under
 * keys starting with {@code namespace:}. With {@code maxStaleness} above zero, a read whose answer at the current
 * data version is not cached yet may get the answer of an earlier version, if that version was still current
 * at most that long ago, while one fresh answer is computed behind it (stale-while-revalidate); zero (the
 * default) keeps every answer exact.
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
        Duration breakerOpenFor,
        long l2MaxEntryBytes,
        long l2BudgetBytes,
        String namespace,
        Duration maxStaleness) {

    /** The longest {@code maxStaleness} accepted: beyond it an answer is old news, not a cache hit. */
    public static final Duration MAX_STALENESS = Duration.ofSeconds(60);

    public CacheProperties {
        ttl = Settings.positive(ttl, Duration.ofSeconds(300), "CACHE_TTL", "gridserve.cache.ttl");
        l1MaxBytes = Settings.within(
                l1MaxBytes, 64L * 1024 * 1024, 1, Long.MAX_VALUE, "CACHE_L1_MAX_BYTES", "gridserve.cache.l1-max-bytes");
        redisPort = (int) Settings.within(redisPort, 6379, 1, 65535, "REDIS_PORT", "gridserve.cache.redis-port");
        redisPoolSize =
                (int) Settings.within(redisPoolSize, 4, 1, 64, "REDIS_POOL_SIZE", "gridserve.cache.redis-pool-size");
        redisTimeout = Settings.positive(
                redisTimeout, Duration.ofMillis(50), "REDIS_TIMEOUT", "gridserve.cache.redis-timeout");
        breakerFailures = (int) Settings.within(
                breakerFailures, 5, 1, 1000, "REDIS_BREAKER_FAILURES", "gridserve.cache.breaker-failures");
        breakerOpenFor = Settings.positive(
                breakerOpenFor, Duration.ofSeconds(10), "REDIS_BREAKER_OPEN_FOR", "gridserve.cache.breaker-open-for");
        l2MaxEntryBytes = Settings.within(
                l2MaxEntryBytes,
                512L * 1024,
                1,
                512L * 1024 * 1024,
                "CACHE_L2_MAX_ENTRY_BYTES",
                "gridserve.cache.l2-max-entry-bytes");
        l2BudgetBytes = Settings.within(
                l2BudgetBytes,
                256L * 1024 * 1024,
                1,
                Long.MAX_VALUE,
                "CACHE_L2_BUDGET_BYTES",
                "gridserve.cache.l2-budget-bytes");
        namespace = namespace == null || namespace.isBlank() ? "gridserve" : namespace.strip();
        maxStaleness = maxStaleness == null ? Duration.ZERO : maxStaleness;
        if (maxStaleness.isNegative() || maxStaleness.compareTo(MAX_STALENESS) > 0) {
            throw new IllegalArgumentException("CACHE_MAX_STALENESS (gridserve.cache.max-staleness) must be between 0s"
                    + " (exact answers only) and " + MAX_STALENESS.toSeconds() + "s; got " + maxStaleness.toMillis()
                    + "ms");
        }
    }

    /** Whether a read may be answered from an earlier data version (see {@code maxStaleness}). */
    public boolean staleAllowed() {
        return enabled && !maxStaleness.isZero();
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
