package dev.gridserve.changes;

import dev.gridserve.search.IndexBuild;
import dev.gridserve.search.RowSource;
import dev.gridserve.search.TableIndex;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the index from the database in the background, into a new generation beside the live one (which
 * keeps serving and following meanwhile); the follower swaps it in once it has caught up. A stop or failure at
 * any point deletes the new generation and leaves the live one exactly as it was. A failed rebuild is retried
 * after a growing pause while it is still wanted.
 *
 * <p>The new generation mirrors the database exactly up to a fence: the highest change-log number at the
 * start, once every transaction running at that moment has finished. After that, each number up to the fence
 * has either committed (and its rows are read) or never will, so no number below it needs tracking.
 */
class RebuildCoordinator {
    private static final Logger log = LoggerFactory.getLogger(RebuildCoordinator.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    private static final Duration MAX_RETRY = Duration.ofMinutes(5);

    /** A finished generation and the change-log number it mirrors the database up to. */
    record Completed(IndexBuild build, long fence) {}

    private final ChangeLog changes;
    private final RunningTransactions transactions;
    private final RowSource source;
    private final TableIndex index;

    private Thread thread;
    // a flag, not an interrupt: an interrupt during H2's file I/O closes its channel under every other thread
    private volatile boolean stopping;
    private volatile IndexBuild building;
    private volatile Completed completed;
    private volatile String wanted; // reason, while a rebuild is wanted and not yet swapped in
    private volatile String lastFailure;
    private volatile Instant retryAt;
    private Duration backoff = FIRST_RETRY;

    RebuildCoordinator(ChangeLog changes, RunningTransactions transactions, RowSource source, TableIndex index) {
        this.changes = changes;
        this.transactions = transactions;
        this.source = source;
        this.index = index;
    }

    /** Starts a rebuild unless one is running or finished; {@code done} is called when it has finished. */
    synchronized void request(String reason, String databaseId, Runnable done) {
        if (wanted == null) {
            log.info("Rebuilding the index: {}", reason);
        }
        wanted = reason;
        if (thread != null && thread.isAlive() || completed != null) {
            return;
        }
        retryAt = null;
        thread = Thread.ofPlatform().name("index-rebuild").start(() -> run(databaseId, done));
    }

    /** Starts the retry of a failed rebuild when its pause is over. */
    void retryIfDue(String databaseId, Runnable done) {
        Instant at = retryAt;
        if (wanted != null && at != null && Instant.now().isAfter(at)) {
            request(wanted, databaseId, done);
        }
    }

    private void run(String databaseId, Runnable done) {
        IndexBuild build = null;
        try {
            long fence = changes.maxSeq();
            awaitFinished(transactions.running());
            build = index.startBuild();
            building = build;
            IndexBuild b = build;
            source.forEach(p -> {
                if (stopping) {
                    throw new CancellationException("stopped");
                }
                b.add(p);
            });
            build.complete(databaseId, fence);
            completed = new Completed(build, fence);
            synchronized (this) {
                backoff = FIRST_RETRY;
                lastFailure = null;
            }
            done.run();
        } catch (CancellationException e) {
            if (build != null) {
                build.cancel();
            }
            log.info("Index rebuild stopped; the live index is unchanged");
        } catch (RuntimeException e) {
            if (build != null) {
                build.cancel();
            }
            synchronized (this) {
                lastFailure = e.getMessage() == null ? e.toString() : e.getMessage();
                retryAt = Instant.now().plus(backoff);
                log.warn("Index rebuild failed ({}); retrying in {} s", lastFailure, backoff.toSeconds());
                backoff = backoff.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : backoff.multipliedBy(2);
            }
        } finally {
            building = null;
        }
    }

    /** Waits until none of {@code ids} runs any more: each may hold a number up to the fence. */
    private void awaitFinished(Set<Long> ids) {
        long started = System.nanoTime();
        long nextLog = started + Duration.ofSeconds(10).toNanos();
        for (Set<Long> still = transactions.stillRunning(ids); !still.isEmpty(); ) {
            if (System.nanoTime() > nextLog) {
                log.info("Index rebuild waits for {} transactions that started before it", still.size());
                nextLog += Duration.ofSeconds(30).toNanos();
            }
            if (stopping) {
                throw new CancellationException("stopped while waiting for running transactions");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while waiting for running transactions");
            }
            still = transactions.stillRunning(still);
        }
    }

    /** The finished build, once; the follower catches it up and swaps it in. */
    Completed take() {
        Completed c = completed;
        completed = null;
        return c;
    }

    /** The finished build was swapped in: no rebuild is wanted any more. */
    synchronized void swapped() {
        wanted = null;
        retryAt = null;
    }

    boolean wanted() {
        return wanted != null;
    }

    RebuildStatus status() {
        IndexBuild b = building;
        return new RebuildStatus(
                wanted, b != null || completed != null, b == null ? -1 : b.added(), lastFailure, retryAt);
    }

    /** Stops a rebuild under way and deletes what it wrote. */
    void stop() {
        Thread t;
        synchronized (this) {
            t = thread;
            wanted = null;
            stopping = true;
        }
        if (t != null) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Completed c = take();
        if (c != null) {
            c.build().cancel();
        }
    }
}
