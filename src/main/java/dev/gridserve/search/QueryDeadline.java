package dev.gridserve.search;

import java.time.Duration;
import java.util.function.Supplier;
import org.apache.lucene.index.QueryTimeout;

/**
 * The time limit of the index work a request does on its thread. Every searcher checks it while collecting
 * (Lucene's {@link QueryTimeout}, set when the searcher is opened), and the per-segment loops here check it
 * too; work past it stops and {@link Exceeded} is thrown instead of an answer that covers only part of the
 * index. Threads without a limit (the follower, the reconciler) are never stopped.
 */
public final class QueryDeadline {
    /** The index work of a request took longer than its limit. */
    public static final class Exceeded extends RuntimeException {
        private final Duration limit;

        Exceeded(Duration limit) {
            super("The query took longer than " + limit.toMillis() + " ms", null, false, false);
            this.limit = limit;
        }

        public Duration limit() {
            return limit;
        }
    }

    private static final class Limit {
        final Duration limit;
        final long deadline;
        boolean exceeded;

        Limit(Duration limit) {
            this.limit = limit;
            this.deadline = System.nanoTime() + limit.toNanos();
        }
    }

    private static final ThreadLocal<Limit> CURRENT = new ThreadLocal<>();

    /** Lucene's view of the current thread's limit (never exits where none is set). */
    static final QueryTimeout LUCENE = QueryDeadline::passed;

    private QueryDeadline() {}

    /** Runs {@code work} with {@code limit} on this thread; throws {@link Exceeded} when it was passed. */
    public static <T> T within(Duration limit, Supplier<T> work) {
        Limit outer = CURRENT.get();
        Limit mine = new Limit(limit);
        CURRENT.set(mine);
        try {
            T result = work.get();
            if (mine.exceeded) {
                throw new Exceeded(limit); // Lucene stopped collecting early: the result is partial
            }
            return result;
        } finally {
            CURRENT.set(outer);
        }
    }

    private static boolean passed() {
        Limit l = CURRENT.get();
        if (l == null) {
            return false;
        }
        if (!l.exceeded && System.nanoTime() - l.deadline > 0) {
            l.exceeded = true;
        }
        return l.exceeded;
    }

    /** For loops over a segment's documents: checks the limit every 65,536 documents. */
    static void check(int doc) {
        if ((doc & 0xffff) == 0 && passed()) {
            throw new Exceeded(CURRENT.get().limit);
        }
    }
}
