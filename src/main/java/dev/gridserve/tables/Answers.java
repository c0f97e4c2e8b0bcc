package dev.gridserve.tables;

import dev.gridserve.cache.Body;
import dev.gridserve.cache.ResponseCache;
import dev.gridserve.search.QueryDeadline;
import dev.gridserve.system.ApiException;
import dev.gridserve.system.ServerTiming;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Component;

/** How every table's reads are answered: within the query time limit, and from the cache when they can be. */
@Component
public class Answers {
    private final ResponseCache cache;
    private final QueryProperties limits;
    private final QueryThreads threads;
    private final String build;
    private final ObservationRegistry observations;

    Answers(
            ResponseCache cache,
            QueryProperties limits,
            QueryThreads threads,
            ObjectProvider<BuildProperties> build,
            ObservationRegistry observations) {
        this.cache = cache;
        this.observations = observations;
        this.limits = limits;
        this.threads = threads;
        // a rolling deploy never serves another build's JSON shape from the shared cache
        BuildProperties b = build.getIfAvailable();
        this.build = b == null ? "dev" : b.getVersion() + "@" + b.getTime().toEpochMilli();
    }

    /**
     * Answers from the cache when {@code version} (that of the reader the answer is computed from) is known; the
     * version in the key is the invalidation. {@code scope} names the table's data: its database, table and index
     * layout.
     */
    public ResponseCache.Entry cached(
            String endpoint, String scope, String version, String request, Supplier<String> compute) {
        Supplier<byte[]> bytes = () -> compute.get().getBytes(StandardCharsets.UTF_8);
        if (version == null) {
            return new ResponseCache.Entry(new Body(bytes.get()), ResponseCache.Level.MISS, null);
        }
        long t0 = System.nanoTime();
        String key = endpoint + "|" + scope + "|" + build + "|v" + version + "|" + request;
        ResponseCache.Entry e = cache.get(endpoint, key, bytes);
        if (e.level() != ResponseCache.Level.MISS) {
            ServerTiming.record("cache", System.nanoTime() - t0);
        }
        return e;
    }

    /**
     * Index work, on a query thread, within the query time limit (counted from when it starts there); a runaway
     * query is a 503 instead of a core held.
     */
    public <T> T timed(Supplier<T> work) {
        // a span of the request's trace (and a timer): the queue wait and the query itself
        return Observation.createNotStarted("gridserve.index.query", observations)
                .contextualName("index query")
                .observe(() -> onQueryThread(work));
    }

    private <T> T onQueryThread(Supplier<T> work) {
        long t0 = System.nanoTime();
        long[] started = {t0};
        try {
            return threads.run(() -> {
                started[0] = System.nanoTime();
                return QueryDeadline.within(limits.timeout(), work);
            });
        } catch (QueryDeadline.Exceeded e) {
            throw ApiException.unavailable(
                    "The query took longer than the limit of "
                            + limits.timeout().toMillis() + " ms; narrow it (more"
                            + " filters, longer search words, a smaller page) or retry.",
                    1);
        } finally {
            ServerTiming.record("queue", started[0] - t0);
            ServerTiming.record("index", System.nanoTime() - started[0]);
        }
    }
}
