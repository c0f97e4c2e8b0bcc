package dev.gridserve.changes;

import dev.gridserve.changes.ChangeLog.Change;
import dev.gridserve.search.TableIndex;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps this instance's index in step with the database by applying the change log, on one thread that is the
 * only one to change the live index: it reads new and missing numbers ({@link GapTracker} decides when a
 * missing one is given up), applies them ({@link ChangeApplier}), swaps in rebuilt generations ({@link
 * RebuildCoordinator}), repairs divergence found by the {@link Reconciler}, commits the index regularly and
 * publishes what is applied ({@link VersionPublisher}).
 */
public class ChangeFollower {
    private static final Logger log = LoggerFactory.getLogger(ChangeFollower.class);
    /**
     * Changes read and applied (and made visible) at once. A backlog (a bulk UPDATE, an import) is applied in
     * batches this size, each flushed as one segment: with 5,000 a 100,000-row UPDATE at 1M was visible 32.7-
     * 39.2 s after its commit (median 35.9 s, 8 runs), with 20,000 22.8-30.4 s (median 29.0 s, 7 runs), merging
     * fewer small segments back. The rows of one batch are held in memory meanwhile (~40 MB at this size).
     */
    private static final int BATCH = 20_000;

    private final ChangeLog changes;
    private final RunningTransactions transactions;
    private final ChangeApplier applier;
    private final RebuildCoordinator rebuilds;
    private final TableIndex index;
    private final VersionPublisher publisher;
    private final ChangeFeed feed;
    private final FollowerProperties props;

    private final GapTracker tracker = new GapTracker(0); // this thread's (and start/stop's) only
    private final ConcurrentLinkedQueue<Collection<Long>> repairs = new ConcurrentLinkedQueue<>();
    private final AtomicInteger rebuildCount = new AtomicInteger();
    private final Object startLock = new Object();
    private final Wakeup wakeup = new Wakeup();
    private final CacheTrust trust;
    private volatile String databaseId;
    private volatile boolean following; // the live index mirrors this database and is kept up to date
    private volatile boolean ready; // caught up at least once: reads may be served
    private volatile boolean stopped;
    private volatile boolean failing;
    private volatile long oldestHole = -1;
    private volatile long caughtUpAt = System.nanoTime();
    private volatile Thread thread;
    private long lastCommit = System.nanoTime();

    private final String table;

    ChangeFollower(
            String table,
            ChangeLog changes,
            RunningTransactions transactions,
            ChangeApplier applier,
            RebuildCoordinator rebuilds,
            TableIndex index,
            VersionPublisher publisher,
            ChangeFeed feed,
            FollowerProperties props,
            TransactionTemplate tx) {
        this.table = table;
        this.changes = changes;
        this.transactions = transactions;
        this.applier = applier;
        this.rebuilds = rebuilds;
        this.index = index;
        this.publisher = publisher;
        this.feed = feed;
        this.props = props;
        this.trust = new CacheTrust(changes, tx);
        publisher.onWaiting(this::wake);
    }

    /**
     * Brings the index up to date (building it first when nothing usable is on disk), then follows in the
     * background. Returns early, not ready, when stopped meanwhile.
     */
    public void start() {
        synchronized (startLock) {
            if (!stopped) {
                catchUpAndFollow();
            }
        }
    }

    private void catchUpAndFollow() {
        databaseId = changes.databaseId();
        String why = whyRebuild();
        if (why == null) {
            tracker.reset(index.committed().appliedSeq());
            following = true;
            log.info("Index reopened at change {}; catching up", tracker.highSeen());
        } else {
            rebuilds.request(why, databaseId, this::wake);
            RebuildCoordinator.Completed done;
            while ((done = rebuilds.take()) == null) {
                if (stopped) {
                    return;
                }
                rebuilds.retryIfDue(databaseId, this::wake);
                sleepUntilWoken();
            }
            swapIn(done);
        }
        while (!stopped && poll()) {
            // catch up in full batches before serving
        }
        if (stopped) {
            return;
        }
        ready = true;
        publish();
        thread = Thread.ofPlatform().daemon().name("change-follower-" + table).start(this::run);
    }

    /** Why the index on disk cannot be followed from where it is, or null when it can. */
    private String whyRebuild() {
        TableIndex.CommitState st = index.committed();
        if (!index.hasIndex()) {
            return "no usable index on disk";
        }
        if (!index.usableFor(st, databaseId)) {
            return "the index on disk was built for another database or index schema";
        }
        if (st.appliedSeq() > changes.maxSeq()) {
            return "the index on disk is ahead of this database's change log";
        }
        if (st.appliedSeq() < changes.prunedThrough()) {
            return "the change log was pruned past the index's position " + st.appliedSeq();
        }
        return null;
    }

    /** Stops following; a rebuild under way is dropped, and the index commits what it has consistently applied. */
    public void stop() {
        stopped = true;
        wake();
        rebuilds.stop(); // a start-up waiting for its first build returns
        synchronized (startLock) {
            // start-up is over; the follower thread is the only one left touching the tracker
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (following) {
            index.commit(databaseId, tracker.safe());
        }
    }

    private void run() {
        while (!stopped) {
            try {
                RebuildCoordinator.Completed done = rebuilds.take();
                if (done != null) {
                    swapIn(done);
                }
                rebuilds.retryIfDue(databaseId, this::wake);
                for (Collection<Long> ids; (ids = repairs.poll()) != null; ) {
                    applier.applyIds(ids, index);
                    log.info("Re-applied {} rows that differed from the database", ids.size());
                    trust.healed();
                }
                trust.logEpochIfPending();
                boolean more = poll();
                if (failing) {
                    failing = false;
                    log.info("Change log reachable again; index following resumed");
                }
                commitIfDue();
                if (!more) {
                    sleepUntilWoken();
                }
            } catch (RuntimeException e) {
                if (!failing) {
                    failing = true;
                    log.warn("Cannot follow the change log ({}); retrying every {}", e, props.pollInterval());
                }
                sleepUntilWoken();
            }
        }
    }

    /**
     * One pass: settle which missing numbers can be given up (checked before the read), read new and missing
     * entries, apply them, then note the transactions running after the read as blockers of new holes. True
     * when a full batch suggests more is waiting.
     */
    boolean poll() {
        // every poll, also when no hole has a blocker: such a hole is settled by the next read alone
        tracker.stillRunning(transactions.stillRunning(tracker.blockers()));
        long readAt = System.nanoTime();
        List<Change> fresh = changes.after(tracker.highSeen(), BATCH);
        List<Change> late = changes.bySeq(tracker.holes());
        List<Change> all = new ArrayList<>(late);
        all.addAll(fresh);
        boolean bulk = applier.apply(all, index);
        feed.applied(all);
        tracker.filled(late.stream().map(Change::seq).toList());
        List<Long> gone = tracker.dropAbandoned();
        if (!gone.isEmpty()) {
            log.debug("Change-log numbers {} will never commit (rolled back)", gone);
        }
        tracker.saw(fresh.stream().map(Change::seq).toList(), System.nanoTime());
        if (fresh.size() < BATCH) {
            caughtUpAt = readAt; // the read reached the end of the log: all committed before it is applied
        }
        if (tracker.needsHorizon()) {
            tracker.horizon(transactions.running());
        }
        if (bulk) {
            // an older log's bulk load: the index lacks those rows until rebuilt, so nothing is cached meanwhile
            trust.distrust();
            rebuilds.request("a bulk load was logged", databaseId, this::wake);
        }
        publish();
        return fresh.size() == BATCH;
    }

    /**
     * Serves a finished rebuild. At start-up the new generation is all there is; at run time it first catches
     * up with what committed after its fence, since the live one it replaces already shows that.
     */
    private void swapIn(RebuildCoordinator.Completed done) {
        if (following) {
            long from = done.fence();
            List<Change> batch;
            do {
                batch = changes.after(from, BATCH);
                applier.apply(batch, done.build());
                from = batch.isEmpty() ? from : batch.get(batch.size() - 1).seq();
            } while (batch.size() == BATCH);
        }
        index.swap(done.build());
        rebuilds.swapped();
        rebuildCount.incrementAndGet();
        if (!following) {
            tracker.reset(done.fence());
            following = true;
        } else if (trust.diverged()) {
            trust.healed();
        }
        publish();
    }

    private void publish() {
        oldestHole = tracker.oldestHoleSince();
        // labelled first: a writer woken by the publication reads a reader its answers can be cached under
        if (index.hasIndex()) {
            index.label(ready && trust.allows(tracker) ? Long.toString(tracker.highSeen()) : null);
        }
        VersionPublisher.Version v = new VersionPublisher.Version(tracker.highSeen(), tracker.safe(), tracker.holes());
        publisher.publish(v);
        if (following) {
            feed.advance(v);
        }
    }

    private void commitIfDue() {
        if (System.nanoTime() - lastCommit >= props.commitInterval().toNanos()) {
            index.commit(databaseId, tracker.safe());
            lastCommit = System.nanoTime();
        }
    }

    private void sleepUntilWoken() {
        if (!stopped) {
            wakeup.sleep(props.pollInterval());
        }
    }

    /** Polls now rather than at the next interval (a change was announced, or a writer waits). */
    public void wake() {
        wakeup.wake();
    }

    /**
     * The reconciler found the index differing from the database: nothing is cached from it until it is
     * healed, by re-applying {@code ids} when they are known, otherwise by a rebuild beside it.
     */
    void diverged(Collection<Long> ids) {
        trust.distrust();
        if (ids != null) {
            repairs.add(List.copyOf(ids));
            wake();
        } else {
            rebuilds.request("the index diverged from the database", databaseId, this::wake);
        }
    }

    /** Asks for a rebuild beside the live index (it keeps serving until the new one is swapped in). */
    public void requestRebuild(String reason) {
        rebuilds.request(reason, databaseId, this::wake);
    }

    /** What /health shows about following. */
    public record Status(
            boolean ready,
            boolean following,
            boolean failing,
            boolean diverged,
            int holes,
            long oldestHoleMillis,
            long highSeen,
            long caughtUpMillisAgo,
            int rebuilds,
            RebuildStatus rebuild) {}

    public Status status() {
        VersionPublisher.Version v = publisher.current();
        long oldest = oldestHole;
        return new Status(
                ready,
                following,
                failing,
                trust.diverged(),
                v.holes().size(),
                oldest < 0 ? 0 : (System.nanoTime() - oldest) / 1_000_000,
                v.highSeen(),
                (System.nanoTime() - caughtUpAt) / 1_000_000,
                rebuildCount.get(),
                rebuilds.status());
    }

    /**
     * Waits until change {@code seq} is searchable here, at most the write-visibility timeout. False on
     * timeout; the write is committed either way and will still be applied.
     */
    public boolean awaitApplied(long seq) {
        boolean applied = publisher.awaitApplied(seq, props.writeVisibilityTimeout());
        if (!applied) {
            log.warn("Change {} not applied to the index within {}", seq, props.writeVisibilityTimeout());
        }
        return applied;
    }

    /** How many full rebuilds this instance has swapped in since it started. */
    public int rebuilds() {
        return rebuildCount.get();
    }

    public boolean ready() {
        return ready;
    }

    /** The change log could not be read on the last attempt: the database is probably unreachable. */
    public boolean databaseUnreachable() {
        return failing;
    }

    public String databaseId() {
        return databaseId;
    }
}
