package dev.gridserve.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gridserve.cache.CacheProperties;
import dev.gridserve.security.Callers;
import org.springframework.stereotype.Component;

/**
 * Who may be answered from an earlier data version when the cache allows staleness: every caller except one
 * that wrote within the allowance (through the API or an import), so a client always reads its own writes.
 */
@Component
class StaleReads {
    /** Writers remembered at most: past it the least recent are forgotten early (documented). */
    private static final int MAX_WRITERS = 100_000;

    /** Callers that wrote within the allowance; null when staleness is off. */
    private final Cache<String, Boolean> recentWriters;

    StaleReads(CacheProperties cache) {
        this.recentWriters = cache.staleAllowed()
                ? Caffeine.newBuilder()
                        .maximumSize(MAX_WRITERS)
                        .expireAfterWrite(cache.maxStaleness())
                        .build()
                : null;
    }

    /** Whether the current caller may get an earlier version's answer. */
    boolean allowed() {
        return recentWriters != null && recentWriters.getIfPresent(Callers.actor()) == null;
    }

    /** {@code actor} (as {@link Callers#actor}) has just written: it reads exact answers for the allowance. */
    void wrote(String actor) {
        if (recentWriters != null) {
            recentWriters.put(actor, Boolean.TRUE);
        }
    }
}
