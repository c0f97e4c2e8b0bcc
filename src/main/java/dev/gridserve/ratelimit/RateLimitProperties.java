package dev.gridserve.ratelimit;

import dev.gridserve.system.Settings;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Rate limits under /api: each caller (an API key or token, or the client address of anonymous requests) has a
 * token bucket for reads (GET, HEAD) and one for writes, refilled at {@code readsPerSecond} /
 * {@code writesPerSecond} and holding at most {@code readBurst} / {@code writeBurst}. With Redis the buckets
 * are shared by every instance; without it (or while it is down) each instance keeps its own. At most
 * {@code maxClients} callers' buckets are kept in memory per instance. {@code trustedProxies} (addresses or
 * CIDR ranges) are the only peers whose X-Forwarded-For names the client.
 */
@ConfigurationProperties("gridserve.rate-limit")
public record RateLimitProperties(
        boolean enabled,
        long readsPerSecond,
        long readBurst,
        long writesPerSecond,
        long writeBurst,
        List<String> trustedProxies,
        long maxClients) {
    public RateLimitProperties {
        readsPerSecond = Settings.within(
                readsPerSecond,
                200,
                1,
                1_000_000_000,
                "RATE_LIMIT_READS_PER_SECOND",
                "gridserve.rate-limit.reads-per-second");
        readBurst = Settings.within(
                readBurst, 400, 1, 1_000_000_000, "RATE_LIMIT_READ_BURST", "gridserve.rate-limit.read-burst");
        writesPerSecond = Settings.within(
                writesPerSecond,
                20,
                1,
                1_000_000_000,
                "RATE_LIMIT_WRITES_PER_SECOND",
                "gridserve.rate-limit.writes-per-second");
        writeBurst = Settings.within(
                writeBurst, 40, 1, 1_000_000_000, "RATE_LIMIT_WRITE_BURST", "gridserve.rate-limit.write-burst");
        trustedProxies = trustedProxies == null
                ? List.of()
                : trustedProxies.stream()
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList();
        maxClients = Settings.within(
                maxClients, 100_000, 1, 10_000_000, "RATE_LIMIT_MAX_CLIENTS", "gridserve.rate-limit.max-clients");
    }
}
