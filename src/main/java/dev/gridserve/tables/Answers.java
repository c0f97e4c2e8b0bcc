package dev.gridserve.tables;

import dev.gridserve.cache.Body;
import dev.gridserve.cache.ResponseCache;
import dev.gridserve.search.QueryDeadline;
import dev.gridserve.system.ApiException;
import dev.gridserve.system.ServerTiming;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
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
    private final Warmer warmer;

    /** Stale answers being replaced at once, at most. */
    private static final int REVALIDATIONS = 4;

    private final Semaphore revalidations = new Semaphore(REVALIDATIONS);
    private final Set<String> revalidating = ConcurrentHashMap.newKeySet();

    Answers(
            ResponseCache cache,
            QueryProperties limits,
            QueryThreads threads,
            ObjectProvider<BuildProperties> build,
            ObservationRegistry observations,
            Warmer warmer) {
        this.cache = cache;
        this.warmer = warmer;
        this.observations = observations;
        this.limits = limits;
        this.threads = threads;
        // a rolling deploy never serves another build's JSON shape from the shared cache
        BuildProperties b = build.getIfAvailable();
        this.build = b == null ? "dev" : b.getVersion() + "@" + b.getTime().toEpochMilli();
    }

    /**
     * A read to answer: {@code scope} names the table's data (its database, table and index layout),
     * {@code version} that of the reader the answer is computed from (null: not cacheable), {@code request} the
     * request in canonical form. {@code again} asks it once more through the same path, at whatever version is
     * current then and never from an earlier one (for warming and revalidation); {@code acceptStale}: the caller
     * may be answered from an earlier version within the configured staleness (not a client that just wrote);
     * {@code list}: the list or stats request it answers (null for other reads), whose parameters can ask it
     * again after a restart and whose query tells which changed rows could change its answer.
     */
    public record Read(
            String table,
            String endpoint,
            String scope,
            String version,
            String request,
            boolean acceptStale,
            Supplier<ResponseCache.Entry> again,
            ListRequest list) {}

    /**
     * Answers from the cache when the version is known; the version in the key is the invalidation. A stale
     * answer (only with a staleness allowance) has one fresh answer computed behind it.
     */
    public ResponseCache.Entry cached(Read read, Supplier<String> compute) {
        Supplier<byte[]> bytes = () -> compute.get().getBytes(StandardCharsets.UTF_8);
        if (read.version() == null) {
            return new ResponseCache.Entry(new Body(bytes.get()), ResponseCache.Level.MISS, null);
        }
        long t0 = System.nanoTime();
        String prefix = read.endpoint() + "|" + read.scope() + "|" + build + "|";
        String unversioned = prefix + read.request();
        String key = prefix + "v" + read.version() + "|" + read.request();
        ResponseCache.Entry e =
                cache.get(read.endpoint(), key, cache.staleAllowed() ? unversioned : null, read.acceptStale(), bytes);
        if (e.level() != ResponseCache.Level.MISS) {
            ServerTiming.record("cache", System.nanoTime() - t0);
        }
        if (e.level() == ResponseCache.Level.STALE) {
            revalidate(unversioned, read.again());
        }
        warmer.asked(read, prefix);
        return e;
    }

    /** One fresh answer behind a stale one, at most {@link #REVALIDATIONS} at a time (a later stale hit retries). */
    private void revalidate(String unversioned, Supplier<ResponseCache.Entry> again) {
        if (!revalidations.tryAcquire()) {
            return;
        }
        if (!revalidating.add(unversioned)) {
            revalidations.release();
            return;
        }
        Thread.ofVirtual().name("cache-revalidate").start(() -> {
            try {
                ResponseCache.warming(again); // not a client's lookup: kept out of the hit ratio
            } catch (RuntimeException ex) {
                // the next request for it computes it itself, and gets the error if it is one
            } finally {
                revalidating.remove(unversioned);
                revalidations.release();
            }
        });
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
