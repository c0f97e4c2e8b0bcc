package dev.gridserve.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gridserve.system.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Serialized responses by key: L1 in-process, then L2 Redis, then computed. Keys carry the data version, so a
 * write makes every older entry unreachable at once (no KEYS, no pattern deletes); entries expire by TTL.
 */
@Component
public class ResponseCache implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(ResponseCache.class);

    public enum Level {
        L1("HIT-L1"),
        L2("HIT-L2"),
        MISS("MISS");

        public final String header;

        Level(String header) {
            this.header = header;
        }
    }

    /** A response body, where it came from, and its key's digest (usable as an ETag). */
    public record Entry(Body body, Level level, String digest) {}

    private final CacheProperties props;
    private final Cache<String, Body> l1;
    private final RedisL2 l2;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder lookups = new LongAdder();
    private final Map<String, CompletableFuture<Entry>> inFlight = new ConcurrentHashMap<>();
    private final WriteBudget l2Budget;
    private final ObservationRegistry observations;

    ResponseCache(CacheProperties props, MeterRegistry meters, ObservationRegistry observations) {
        this.props = props;
        this.meters = meters;
        this.observations = observations;
        this.l2Budget = new WriteBudget(props.l2BudgetBytes(), props.ttl());
        this.l1 = Caffeine.newBuilder()
                .maximumWeight(props.l1MaxBytes())
                // the plain bytes and room for a compressed form (a fraction of them) made later
                .weigher((String k, Body v) -> k.length() * 2 + v.plain().length * 5 / 4 + 64)
                .expireAfterWrite(props.ttl())
                .build();
        String uri = props.enabled() ? props.redisUri() : null;
        this.l2 = uri == null
                ? null
                : new RedisL2(
                        uri,
                        props.redisPoolSize(),
                        props.redisTimeout(),
                        props.ttl(),
                        new CircuitBreaker("Redis cache", props.breakerFailures(), props.breakerOpenFor()));
        Gauge.builder("gridserve.cache.hit.ratio", this, ResponseCache::hitRatio)
                .description("share of cacheable requests answered from L1 or L2")
                .register(meters);
        log.info(
                "Response cache: {}",
                !props.enabled() ? "disabled" : l2 == null ? "in-process only (no Redis configured)" : "L1 + Redis");
    }

    public boolean enabled() {
        return props.enabled();
    }

    /**
     * The cached response for {@code key}, or {@code compute}'s (then stored). {@code key} must identify the
     * request completely, including the data version it was answered at.
     */
    public Entry get(String endpoint, String key, Supplier<byte[]> compute) {
        String digest = digest(key);
        if (!props.enabled()) {
            return new Entry(new Body(compute.get()), Level.MISS, digest);
        }
        lookups.increment();
        Body v = lookup("l1", endpoint, () -> l1.getIfPresent(digest));
        if (v != null) {
            count(endpoint, "l1", "hit");
            hits.increment();
            return new Entry(v, Level.L1, digest);
        }
        count(endpoint, "l1", "miss");
        // concurrent misses of one key wait for the first one's answer instead of each computing it
        CompletableFuture<Entry> mine = new CompletableFuture<>();
        CompletableFuture<Entry> first = inFlight.putIfAbsent(digest, mine);
        if (first != null) {
            try {
                Entry shared = first.join();
                return new Entry(shared.body(), shared.level(), digest);
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r; // the same answer the first request got, e.g. a 404
                }
                throw e;
            }
        }
        try {
            Entry e = load(endpoint, digest, compute);
            mine.complete(e);
            return e;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(digest, mine);
        }
    }

    private Entry load(String endpoint, String digest, Supplier<byte[]> compute) {
        if (l2 != null) {
            byte[] shared = lookup("l2", endpoint, () -> l2.get(props.namespace() + ":" + digest));
            if (shared != null) {
                count(endpoint, "l2", "hit");
                hits.increment();
                Body v = new Body(shared);
                l1.put(digest, v);
                return new Entry(v, Level.L2, digest);
            }
            count(endpoint, "l2", "miss");
        }
        Body v = new Body(compute.get());
        l1.put(digest, v);
        if (l2 != null) {
            storeShared(endpoint, digest, v.plain());
        }
        return new Entry(v, Level.MISS, digest);
    }

    /** A lookup in one level, as a span of the request's trace (and a timer): {@code gridserve.cache.lookup}. */
    private <T> T lookup(String level, String endpoint, Supplier<T> read) {
        return Observation.createNotStarted("gridserve.cache.lookup", observations)
                .contextualName("cache " + level + " lookup")
                .lowCardinalityKeyValue("level", level)
                .lowCardinalityKeyValue("endpoint", endpoint)
                .observe(read);
    }

    /** Writes to Redis within its bounds: no entry over the size cap, no more per TTL than the budget. */
    private void storeShared(String endpoint, String digest, byte[] v) {
        if (v.length > props.l2MaxEntryBytes()) {
            count(endpoint, "l2", "too-large");
        } else if (!l2Budget.tryTake(v.length + digest.length() + 64, System.currentTimeMillis())) {
            count(endpoint, "l2", "over-budget");
        } else {
            l2.put(props.namespace() + ":" + digest, v);
        }
    }

    /** "disabled", "memory" (no Redis configured), "redis" or "redis-unavailable". */
    public String status() {
        if (!props.enabled()) {
            return "disabled";
        }
        if (l2 == null) {
            return "memory";
        }
        return l2.ping() ? "redis" : "redis-unavailable";
    }

    /** Drops this instance's L1 (tests and operators; L2 entries age out by TTL). */
    public void clearLocal() {
        l1.invalidateAll();
    }

    double hitRatio() {
        long n = lookups.sum();
        return n == 0 ? 0 : (double) hits.sum() / n;
    }

    private void count(String endpoint, String level, String result) {
        counters.computeIfAbsent(
                        endpoint + level + result,
                        k -> Counter.builder("gridserve.cache.requests")
                                .tag("endpoint", endpoint)
                                .tag("level", level)
                                .tag("result", result)
                                .register(meters))
                .increment();
    }

    static String digest(String key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void destroy() {
        if (l2 != null) {
            l2.close();
        }
    }
}
