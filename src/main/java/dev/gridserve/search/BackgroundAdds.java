package dev.gridserve.search;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bulk-loaded rows turned into documents on every core while the caller reads the next ones. A batch split
 * over the cores and joined at its end left one core idle whenever the other was flushing a segment (seconds,
 * with a bulk RAM buffer): an import's rows became searchable at ~155% CPU where a rebuild, fed this way, runs
 * at ~190%. When every worker is busy and the queue is full the caller runs the chunk itself, which bounds the
 * rows held and keeps it from reading faster than the cores index.
 */
final class BackgroundAdds {
    private static final int QUEUED_CHUNKS = 8;

    private final Object done = new Object();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean discarding;
    private ThreadPoolExecutor workers;

    /** Runs {@code chunk} on a worker; throws the failure of an earlier chunk, if any, instead. */
    synchronized void submit(Runnable chunk) {
        rethrow();
        if (workers == null) {
            int n = Math.max(1, Runtime.getRuntime().availableProcessors());
            workers = new ThreadPoolExecutor(
                    n,
                    n,
                    0,
                    TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(QUEUED_CHUNKS),
                    Thread.ofPlatform().daemon().name("index-add-", 0).factory(),
                    new ThreadPoolExecutor.CallerRunsPolicy());
        }
        pending.incrementAndGet();
        workers.execute(() -> {
            try {
                if (failure.get() == null && !discarding) {
                    chunk.run();
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                if (pending.decrementAndGet() == 0) {
                    synchronized (done) {
                        done.notifyAll();
                    }
                }
            }
        });
    }

    /** Whether chunks were submitted since the last {@link #drain}. */
    synchronized boolean active() {
        return workers != null;
    }

    /** Waits for every submitted chunk and ends the workers; throws the first failure among them. */
    synchronized void drain() {
        if (workers == null) {
            return;
        }
        boolean interrupted = false;
        synchronized (done) {
            while (pending.get() > 0) {
                try {
                    done.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // the chunks hold the index writer: they are waited for regardless
                }
            }
        }
        workers.shutdown();
        workers = null;
        discarding = false;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        rethrow();
    }

    /** Drops the chunks not started yet and waits for the running ones; failures are forgotten. */
    synchronized void discard() {
        discarding = true;
        try {
            drain();
        } catch (RuntimeException e) {
            // discarded with the rest
        }
    }

    private void rethrow() {
        Throwable t = failure.getAndSet(null);
        if (t == null) {
            return;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("Indexing failed: " + t, t);
    }
}
