package dev.gridserve.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gridserve.cache.CacheProperties;
import dev.gridserve.system.CircuitBreaker;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Token buckets per caller and budget (reads, writes), kept in Redis so that every instance draws on the same
 * bucket. Each instance serves a few tokens locally between trips to Redis (Bucket4j's delaying
 * optimization: at most 1/40 of a burst, at most 100 ms), so a request rarely waits on Redis and the instances
 * together can overshoot a budget by at most that many tokens each, which the shared bucket then owes. When
 * Redis is not configured, not reachable or too slow, each instance limits with a bucket of its own.
 */
@Component
public class RateLimiter implements DisposableBean {
    /** Which budget a request draws on. */
    public enum Budget {
        READ,
        WRITE
    }

    /** The outcome: whether the request may go on, and what the RateLimit-* headers say. */
    public record Verdict(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {}

    private static final Duration MAX_UNSYNCHRONIZED_TIME = Duration.ofMillis(100);

    /** A caller's bucket for one budget: the shared one (once Redis has been reached) and the local fallback. */
    private static final class Buckets {
        volatile Bucket shared;
        volatile Bucket local;
    }

    private final RateLimitProperties props;
    private final BucketConfiguration reads;
    private final BucketConfiguration writes;
    private final Cache<String, Buckets> callers;
    private final String namespace;
    private final RedisClient redis;
    private final RedisURI redisUri;
    private final Duration redisTimeout;
    private final CircuitBreaker breaker;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile ProxyManager<String> shared;
    private final Counter rejectedReads;
    private final Counter rejectedWrites;

    RateLimiter(RateLimitProperties props, CacheProperties cache, MeterRegistry meters) {
        this.props = props;
        this.reads = config(props.readBurst(), props.readsPerSecond());
        this.writes = config(props.writeBurst(), props.writesPerSecond());
        long slowestRefillSeconds = Math.max(
                ceilDiv(props.readBurst(), props.readsPerSecond()),
                ceilDiv(props.writeBurst(), props.writesPerSecond()));
        // a bucket untouched for longer than it takes to fill up is full: forgetting it changes nothing
        this.callers = Caffeine.newBuilder()
                .maximumSize(props.maxClients() * 2)
                .expireAfterAccess(Duration.ofSeconds(slowestRefillSeconds + 60))
                .build();
        this.namespace = cache.namespace();
        this.redisTimeout = cache.redisTimeout();
        this.breaker = new CircuitBreaker("Redis (rate limits)", cache.breakerFailures(), cache.breakerOpenFor());
        String uri = cache.redisUri();
        if (uri != null && props.enabled()) {
            redisUri = RedisURI.create(uri);
            redisUri.setTimeout(redisTimeout);
            redis = RedisClient.create();
            redis.setOptions(ClientOptions.builder()
                    .socketOptions(SocketOptions.builder()
                            .connectTimeout(redisTimeout.multipliedBy(4))
                            .build())
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .build());
            connect();
        } else {
            redisUri = null;
            redis = null;
        }
        this.rejectedReads = rejected(meters, "read");
        this.rejectedWrites = rejected(meters, "write");
    }

    private static Counter rejected(MeterRegistry meters, String budget) {
        return Counter.builder("gridserve.rate_limit.rejected")
                .description("Requests refused with 429")
                .tag("budget", budget)
                .register(meters);
    }

    private static BucketConfiguration config(long burst, long perSecond) {
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)))
                .build();
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** Takes one token from {@code caller}'s bucket for {@code budget}. */
    public Verdict consume(String caller, Budget budget) {
        boolean read = budget == Budget.READ;
        String key = (read ? "r:" : "w:") + caller;
        Buckets b = callers.get(key, k -> new Buckets());
        ConsumptionProbe probe = null;
        ProxyManager<String> manager = shared;
        if (manager != null && breaker.allow()) {
            try {
                Bucket bucket = b.shared;
                if (bucket == null) {
                    bucket = b.shared = sharedBucket(manager, key, read);
                    carryOver(b.local, bucket, read);
                }
                probe = bucket.tryConsumeAndReturnRemaining(1);
                breaker.success();
            } catch (RuntimeException e) {
                breaker.failure(e);
            }
        } else if (manager == null && redis != null && breaker.allow()) {
            connect();
        }
        if (probe == null) {
            Bucket local = b.local;
            if (local == null) {
                long burst = read ? props.readBurst() : props.writeBurst();
                long perSecond = read ? props.readsPerSecond() : props.writesPerSecond();
                local = b.local = Bucket.builder()
                        .addLimit(limit -> limit.capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)))
                        .build();
            }
            probe = local.tryConsumeAndReturnRemaining(1);
        }
        long burst = read ? props.readBurst() : props.writeBurst();
        if (!probe.isConsumed()) {
            (read ? rejectedReads : rejectedWrites).increment();
        }
        return new Verdict(
                probe.isConsumed(),
                burst,
                Math.max(0, probe.getRemainingTokens()),
                seconds(probe.getNanosToWaitForReset()),
                Math.max(1, seconds(probe.getNanosToWaitForRefill())));
    }

    /**
     * What a caller spent from its local bucket (before Redis was reached) is taken from the shared one too, so
     * that reaching Redis does not hand the caller a second full burst.
     */
    private void carryOver(Bucket local, Bucket shared, boolean read) {
        if (local == null) {
            return;
        }
        long spent = (read ? props.readBurst() : props.writeBurst()) - local.getAvailableTokens();
        if (spent > 0) {
            shared.tryConsumeAsMuchAsPossible(spent);
        }
    }

    /** Whether buckets are being kept in Redis now (for tests and health). */
    boolean usingRedis() {
        return shared != null && breaker.allow();
    }

    private Bucket sharedBucket(ProxyManager<String> manager, String key, boolean read) {
        long burst = read ? props.readBurst() : props.writeBurst();
        DelayParameters delay = new DelayParameters(Math.max(1, burst / 40), MAX_UNSYNCHRONIZED_TIME);
        BucketConfiguration config = read ? reads : writes;
        return manager.builder().withOptimization(Optimizations.delaying(delay)).build(redisKey(key), () -> config);
    }

    /** Names stay short whatever a caller is called (a token's subject can be long). */
    private String redisKey(String key) {
        String k = key.length() <= 120 ? key : key.substring(0, 2) + "#" + sha256(key);
        return namespace + ":rate:" + k;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long seconds(long nanos) {
        return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
    }

    /** Connects in the background; until then (and whenever Redis fails) buckets are local. */
    private void connect() {
        if (!connecting.compareAndSet(false, true)) {
            return;
        }
        redis.connectAsync(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE), redisUri)
                .whenComplete((c, e) -> {
                    try {
                        if (e != null) {
                            breaker.failure(e);
                            return;
                        }
                        c.setTimeout(redisTimeout);
                        connection = c;
                        shared = Bucket4jLettuce.casBasedBuilder(c)
                                .requestTimeout(redisTimeout.multipliedBy(2))
                                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                                        Duration.ofSeconds(10)))
                                .build();
                        breaker.success();
                    } finally {
                        connecting.set(false);
                    }
                });
    }

    @Override
    public void destroy() {
        StatefulRedisConnection<String, byte[]> c = connection;
        if (c != null) {
            c.close();
        }
        if (redis != null) {
            redis.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
