package dev.gridserve.changes;

import dev.gridserve.changes.ChangeLog.Change;
import dev.gridserve.product.Product;
import dev.gridserve.product.ProductRepository;
import dev.gridserve.search.ProductIndex;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Keeps this instance's index in step with the database by applying the change log in sequence order.
 *
 * <p>Sequence numbers can commit out of order (a transaction holding seq 10 commits after seq 11 was read),
 * so a missing number is remembered as a gap and looked for again until it appears or {@code gapTimeout}
 * passes (a rolled-back write leaves a gap forever). Changes carry only ids: the current row is read when
 * applying, so re-applying is harmless and the last application of an id always wins.
 */
@Component
public class ChangeFollower {
    private static final Logger log = LoggerFactory.getLogger(ChangeFollower.class);
    private static final int BATCH = 5000;
    private static final int GAP_LOOKBACK = 1000;

    private final ChangeLog changes;
    private final ProductRepository products;
    private final ProductIndex index;
    private final FollowerProperties props;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private final Condition wake = lock.newCondition();
    private boolean wakeRequested;
    private long highSeen;
    private long safe;
    private final Map<Long, Long> gaps = new HashMap<>(); // seq -> nanoTime first missed
    private volatile String databaseId;
    private volatile boolean running;
    private volatile boolean ready;
    private volatile boolean failing;
    private volatile boolean rebuildRequested;
    private volatile int epoch;
    private final java.util.concurrent.atomic.AtomicInteger rebuilds = new java.util.concurrent.atomic.AtomicInteger();
    private Thread thread;
    private long lastCommit = System.nanoTime();

    ChangeFollower(ChangeLog changes, ProductRepository products, ProductIndex index, FollowerProperties props) {
        this.changes = changes;
        this.products = products;
        this.index = index;
        this.props = props;
    }

    /** Brings the index up to date (rebuilding it if it mirrors nothing usable), then follows in background. */
    public void start() {
        databaseId = changes.databaseId();
        ProductIndex.CommitState st = index.committed();
        long max = changes.maxSeq();
        if (!st.usableFor(databaseId) || st.appliedSeq() > max) {
            log.info("Index does not mirror this database (schema/database/sequence differ); rebuilding");
            rebuild();
        } else if (st.appliedSeq() < changes.minSeq() - 1) {
            log.info("Index is at change {} but the log was pruned past it; rebuilding", st.appliedSeq());
            rebuild();
        } else {
            lock.lock();
            try {
                highSeen = safe = st.appliedSeq();
            } finally {
                lock.unlock();
            }
            log.info("Index reopened at change {}; catching up to {}", st.appliedSeq(), max);
        }
        while (poll()) {
            // catch up in full batches before serving
        }
        ready = true;
        running = true;
        thread = Thread.ofPlatform().daemon().name("change-follower").start(this::run);
    }

    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // a start-up still rebuilding must not commit its half-built index as if it were current
        if (databaseId != null && ready) {
            index.commit(databaseId, safeSeq());
        }
    }

    private void run() {
        while (running) {
            try {
                if (rebuildRequested) {
                    rebuild();
                    // answers cached from the diverged index must become unreachable, like after a write
                    epoch++;
                    rebuildRequested = false; // requests made while rebuilding saw the old index
                }
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
                    log.warn(
                            "Cannot follow the change log ({}); retrying every {}", e.toString(), props.pollInterval());
                }
                sleepUntilWoken();
            }
        }
    }

    private void sleepUntilWoken() {
        lock.lock();
        try {
            if (!wakeRequested) {
                wake.await(props.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
            }
            wakeRequested = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private void commitIfDue() {
        if (System.nanoTime() - lastCommit >= props.commitInterval().toNanos()) {
            index.commit(databaseId, safeSeq());
            lastCommit = System.nanoTime();
        }
    }

    /** Applies what is new (and what was missing); true when a full batch suggests more is waiting. */
    boolean poll() {
        long from;
        Set<Long> missing;
        lock.lock();
        try {
            from = highSeen;
            missing = new HashSet<>(gaps.keySet());
        } finally {
            lock.unlock();
        }
        List<Change> fresh = changes.after(from, BATCH);
        List<Change> late = changes.bySeq(missing);
        if (fresh.stream().anyMatch(c -> c.op() == ChangeLog.BULK)
                || late.stream().anyMatch(c -> c.op() == ChangeLog.BULK)) {
            rebuild();
            return true;
        }
        if (!fresh.isEmpty() || !late.isEmpty()) {
            Set<Long> ids = new LinkedHashSet<>();
            late.forEach(c -> ids.add(c.productId()));
            fresh.forEach(c -> ids.add(c.productId()));
            List<Product> rows = products.findAll(ids);
            Set<Long> deleted = new HashSet<>(ids);
            rows.forEach(p -> deleted.remove(p.id()));
            index.apply(rows, deleted);
        }
        lock.lock();
        try {
            long now = System.nanoTime();
            late.forEach(c -> gaps.remove(c.seq()));
            long prev = highSeen;
            for (Change c : fresh) {
                if (c.seq() - prev - 1 <= BATCH) {
                    for (long s = prev + 1; s < c.seq(); s++) {
                        gaps.put(s, now);
                    }
                }
                prev = c.seq();
            }
            highSeen = prev;
            gaps.values().removeIf(first -> now - first > props.gapTimeout().toNanos());
            safe = gaps.isEmpty()
                    ? highSeen
                    : gaps.keySet().stream().mapToLong(Long::longValue).min().orElseThrow() - 1;
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
        return fresh.size() == BATCH;
    }

    /** Rebuilds from the database; numbers missing just below the start are treated as gaps, not as done. */
    private void rebuild() {
        long start = changes.maxSeq();
        Map<Long, Long> missing = new HashMap<>();
        long now = System.nanoTime();
        Set<Long> present = new HashSet<>(changes.seqsBetween(Math.max(0, start - GAP_LOOKBACK), start));
        for (long s = Math.max(1, start - GAP_LOOKBACK + 1); s <= start; s++) {
            if (!present.contains(s)) {
                missing.put(s, now);
            }
        }
        long safeAfter = missing.isEmpty()
                ? start
                : missing.keySet().stream().mapToLong(Long::longValue).min().orElseThrow() - 1;
        index.rebuild(products::forEach, databaseId, safeAfter);
        rebuilds.incrementAndGet();
        lock.lock();
        try {
            highSeen = start;
            gaps.clear();
            gaps.putAll(missing);
            safe = safeAfter;
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until change {@code seq} is searchable here. Returns false on timeout; the write is committed
     * either way and will still be applied.
     */
    public boolean awaitApplied(long seq) {
        long deadline = System.nanoTime() + props.writeVisibilityTimeout().toNanos();
        lock.lock();
        try {
            while (!applied(seq)) {
                wakeRequested = true;
                wake.signal();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    log.warn("Change {} not applied to the index within {}", seq, props.writeVisibilityTimeout());
                    return false;
                }
                advanced.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private boolean applied(long seq) {
        return seq <= highSeen && !gaps.containsKey(seq);
    }

    /** Every change up to this sequence is in the index. */
    public long safeSeq() {
        lock.lock();
        try {
            return safe;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The data version responses may be cached under: every change up to it is applied and none after it is
     * half-known, plus how many times divergence forced a rebuild here. Empty while a sequence gap is open, because then another instance at the same number may
     * lack changes this one has (or the reverse).
     */
    public java.util.Optional<String> cacheVersion() {
        lock.lock();
        try {
            return gaps.isEmpty() && ready ? java.util.Optional.of(highSeen + "e" + epoch) : java.util.Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** Whether a sequence-number gap is open (a change taken but not yet seen committed). */
    public boolean gapsOpen() {
        lock.lock();
        try {
            return !gaps.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    public long highSeen() {
        lock.lock();
        try {
            return highSeen;
        } finally {
            lock.unlock();
        }
    }

    /** How many full rebuilds this instance has done since it started. */
    public int rebuilds() {
        return rebuilds.get();
    }

    public boolean ready() {
        return ready;
    }

    /** Polls now rather than at the next interval (a change was announced). */
    public void wake() {
        lock.lock();
        try {
            wakeRequested = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Asks the follower thread to rebuild the index from the database (after divergence was found). */
    public void requestRebuild() {
        rebuildRequested = true;
        wake();
    }

    /** The change log could not be read on the last attempt: the database is probably unreachable. */
    public boolean databaseUnreachable() {
        return failing;
    }

    public String databaseId() {
        return databaseId;
    }
}
