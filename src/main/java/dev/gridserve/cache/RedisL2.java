package dev.gridserve.cache;

import dev.gridserve.system.CircuitBreaker;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis as a best-effort shared cache: short timeouts, writes not awaited, a circuit breaker in front. Any
 * failure is a miss, never an error for the request.
 */
final class RedisL2 implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisL2.class);
    private static final RedisCodec<String, byte[]> CODEC = new RedisCodec<>() {
        @Override
        public String decodeKey(ByteBuffer bytes) {
            return StringCodec.UTF8.decodeKey(bytes);
        }

        @Override
        public byte[] decodeValue(ByteBuffer bytes) {
            return ByteArrayCodec.INSTANCE.decodeValue(bytes);
        }

        @Override
        public ByteBuffer encodeKey(String key) {
            return StringCodec.UTF8.encodeKey(key);
        }

        @Override
        public ByteBuffer encodeValue(byte[] value) {
            return ByteArrayCodec.INSTANCE.encodeValue(value);
        }
    };

    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]>[] connections;
    private final AtomicInteger next = new AtomicInteger();
    private final long timeoutMs;
    private final CircuitBreaker breaker;
    private final SetArgs ttl;

    @SuppressWarnings("unchecked")
    RedisL2(String uri, int poolSize, Duration timeout, Duration ttl, CircuitBreaker breaker) {
        RedisURI u = RedisURI.create(uri);
        u.setTimeout(timeout);
        this.client = RedisClient.create(u);
        // Fail fast when Redis is down or slow: short connect timeout, no command queueing while disconnected.
        client.setOptions(io.lettuce.core.ClientOptions.builder()
                .socketOptions(io.lettuce.core.SocketOptions.builder()
                        .connectTimeout(timeout.multipliedBy(4))
                        .build())
                .disconnectedBehavior(io.lettuce.core.ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        this.connections = new StatefulRedisConnection[poolSize];
        this.timeoutMs = Math.max(1, timeout.toMillis());
        this.breaker = breaker;
        this.ttl = SetArgs.Builder.ex(ttl.toSeconds());
    }

    private StatefulRedisConnection<String, byte[]> connection() {
        int i = Math.floorMod(next.getAndIncrement(), connections.length);
        StatefulRedisConnection<String, byte[]> c = connections[i];
        if (c == null || !c.isOpen()) {
            synchronized (this) {
                c = connections[i];
                if (c == null || !c.isOpen()) {
                    c = client.connect(CODEC);
                    c.setTimeout(Duration.ofMillis(timeoutMs));
                    connections[i] = c;
                }
            }
        }
        return c;
    }

    /** The cached bytes, or null on a miss, a timeout, an error or an open breaker. */
    byte[] get(String key) {
        return call(redis -> redis.get(key));
    }

    /** Stores without waiting; a failure only counts against the breaker. */
    void put(String key, byte[] value) {
        if (!breaker.allow()) {
            return;
        }
        try {
            connection().async().set(key, value, ttl).whenComplete((ok, err) -> {
                if (err != null) {
                    breaker.failure(err);
                }
            });
        } catch (Exception e) {
            breaker.failure(e);
        }
    }

    boolean ping() {
        return call(RedisAsyncCommands::ping) != null;
    }

    /** One command through the breaker, waited for at most the timeout; any failure is null. */
    private <T> T call(Function<RedisAsyncCommands<String, byte[]>, RedisFuture<T>> command) {
        if (!breaker.allow()) {
            return null;
        }
        try {
            T v = command.apply(connection().async()).get(timeoutMs, TimeUnit.MILLISECONDS);
            breaker.success();
            return v;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            breaker.failure(e);
            return null;
        }
    }

    @Override
    public void close() {
        for (StatefulRedisConnection<String, byte[]> c : connections) {
            if (c != null) {
                c.closeAsync();
            }
        }
        try {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            log.debug("Redis client shutdown: {}", e.toString());
        }
    }
}
