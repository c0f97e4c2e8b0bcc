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
        /** An earlier data version's answer, within the configured staleness, while a fresh one is computed. */
        STALE("STALE"),
        MISS("MISS");

        public final String header;

        Level(String header) {
            this.header = header;
        }
    }

    /**
     * A response body, where it came from, and its key's digest (usable as an ETag); {@code ageSeconds}, for a
     * {@link Level#STALE} answer, is how long ago its data version was last seen current (else 0).
     */
    public record Entry(Body body, Level level, String digest, long ageSeconds) {
        public Entry(Body body, Level level, String digest) {
            this(body, level, digest, 0);
        }
    }

    /** The newest answer to a request at any data version, and when that version was last seen current. */
    private record Latest(String digest, Body body, long confirmedNanos) {}

    /** Set on a thread warming the cache: its lookups are not the clients', so they stay out of the hit ratio. */
    private static final ThreadLocal<Boolean> WARMING = new ThreadLocal<>();

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
    /** Only with a staleness allowance: answers by request without the version, bounded like L1. */
    private final Cache<String, Latest> latest;

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
        this.latest = !props.staleAllowed()
                ? null
                : Caffeine.newBuilder()
                        .maximumWeight(Math.max(1, props.l1MaxBytes() / 2))
                        .weigher((String k, Latest v) ->
                                k.length() * 2 + v.body().plain().length + 64)
                        .expireAfterWrite(props.maxStaleness())
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
        return get(endpoint, key, null, false, compute);
    }

    /**
     * As {@link #get(String, String, Supplier)}, also remembering the answer under {@code staleKey} (the same
     * request without the data version). With {@code acceptStale}, an answer of an earlier version stands in,
     * within the staleness allowance, when this version's is not cached: then the level is {@link Level#STALE},
     * nothing is computed, and the caller is expected to have a fresh answer computed behind it.
     */
    public Entry get(String endpoint, String key, String staleKey, boolean acceptStale, Supplier<byte[]> compute) {
        String digest = digest(key);
        if (!props.enabled()) {
            return new Entry(new Body(compute.get()), Level.MISS, digest);
        }
        boolean client = WARMING.get() == null;
        if (client) {
            lookups.increment();
        }
        // the request itself keys it (no second digest per request): the weigher counts its length
        String latestKey = latest == null ? null : staleKey;
        Body v = lookup("l1", endpoint, () -> l1.getIfPresent(digest));
        if (v != null) {
            count(endpoint, "l1", "hit");
            if (client) {
                hits.increment();
            }
            confirm(latestKey, digest, v);
            return new Entry(v, Level.L1, digest);
        }
        count(endpoint, "l1", "miss");
        if (latestKey != null && acceptStale && client) {
            Latest old = latest.getIfPresent(latestKey);
            long age = old == null ? Long.MAX_VALUE : System.nanoTime() - old.confirmedNanos();
            if (old != null
                    && !old.digest().equals(digest)
                    && age <= props.maxStaleness().toNanos()) {
                count(endpoint, "stale", "hit");
                hits.increment();
                return new Entry(old.body(), Level.STALE, old.digest(), age / 1_000_000_000L);
            }
        }
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
            confirm(latestKey, digest, e.body());
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
                if (WARMING.get() == null) {
                    hits.increment();
                }
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

    /**
     * Notes that {@code body} answers the request at a version current now: the answer a later version may
     * stand in with, and the moment its staleness is counted from.
     */
    private void confirm(String latestKey, String digest, Body body) {
        if (latestKey == null) {
            return;
        }
        long now = System.nanoTime();
        Latest known = latest.getIfPresent(latestKey);
        // a hot answer is confirmed by every hit: one write per eighth of the allowance is enough
        if (known == null
                || !known.digest().equals(digest)
                || now - known.confirmedNanos() > props.maxStaleness().toNanos() / 8) {
            latest.put(latestKey, new Latest(digest, body, now));
        }
    }

    /** Whether this instance holds an answer under {@code key} (L1 only). */
    public boolean cached(String key) {
        return props.enabled() && l1.getIfPresent(digest(key)) != null;
    }

    /**
     * Serves the answer cached under {@code from} under {@code to} too (in process), when there is one and
     * {@code to} has none yet; the caller knows the answer is the same at both. True when it was carried.
     */
    public boolean carry(String from, String to, String staleKey) {
        if (!props.enabled()) {
            return false;
        }
        Body v = l1.getIfPresent(digest(from));
        String digest = digest(to);
        if (v == null || l1.getIfPresent(digest) != null) {
            return false;
        }
        l1.put(digest, v);
        confirm(latest == null ? null : staleKey, digest, v);
        return true;
    }

    /** Runs {@code work} as cache warming: its lookups count as warming, not as the clients' hits or misses. */
    public static <T> T warming(Supplier<T> work) {
        WARMING.set(Boolean.TRUE);
        try {
            return work.get();
        } finally {
            WARMING.remove();
        }
    }

    /** Whether the current thread is warming the cache (see {@link #warming}). */
    static boolean isWarming() {
        return WARMING.get() != null;
    }

    /** Whether the configured staleness lets reads be answered from an earlier data version. */
    public boolean staleAllowed() {
        return props.staleAllowed();
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
        if (WARMING.get() != null) {
            return; // the warmer counts its own work
        }
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
