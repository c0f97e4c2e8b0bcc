package dev.gridserve.cache;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Cache warming: the service remembers the {@code remembered} most asked reads (as the L1 cache's own eviction
 * policy ranks them), and whenever a table's data version moves it recomputes the {@code queries} hottest of
 * them in the background, using at most {@code cpuShare} of one core, so the next request for them is a hit.
 */
@ConfigurationProperties("gridserve.cache.warming")
public record WarmingProperties(boolean enabled, int queries, int remembered, double cpuShare) {
    public WarmingProperties {
        if (queries < 0 || queries > 1000) {
            throw new IllegalArgumentException(
                    "CACHE_WARMING_QUERIES (gridserve.cache.warming.queries) must be between 0 and 1000; got "
                            + queries);
        }
        if (remembered < 1 || remembered > 100_000) {
            throw new IllegalArgumentException("CACHE_WARMING_REMEMBERED (gridserve.cache.warming.remembered) must be"
                    + " between 1 and 100000; got " + remembered);
        }
        if (!(cpuShare > 0 && cpuShare <= 1)) {
            throw new IllegalArgumentException("CACHE_WARMING_CPU_SHARE (gridserve.cache.warming.cpu-share) must be"
                    + " above 0 and at most 1 (a share of one core); got " + cpuShare);
        }
    }
}
