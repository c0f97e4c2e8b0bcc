package dev.gridserve.changes;

import dev.gridserve.changes.ChangeLog.Change;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The changes this instance's index has applied, in change-log order, for push streams. A change is released
 * once every number before it is applied too (the follower's safe point), so a stream that resumes after
 * number N gets exactly the changes numbered above N. The most recent {@code capacity} are kept in a ring;
 * older ones are read back from the change log, and a reader further behind than that is told so instead of
 * anything being held for it.
 */
public final class ChangeFeed {
    /** One applied change; {@code version} is the data version from which the index shows it. */
    public record Event(long seq, long rowId, long rowIdTo, char op, long version) {}

    /**
     * What a reader gets: the events after its position, or {@code behind} when some of them are no longer
     * held (the reader must resync); {@code released} is the position it has then reached.
     */
    public record Batch(List<Event> events, boolean behind, long released) {}

    private final ChangeLog log;
    private final Event[] ring;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition added = lock.newCondition();
    /** Applied above the safe point, not yet released (guarded by lock). */
    private final TreeMap<Long, Change> pending = new TreeMap<>();

    private long count; // events ever put in the ring
    private long released = -1; // every change up to here is released; -1 until the follower first publishes
    private long floor = -1; // changes up to here are not in the ring (before the feed began, or overwritten)
    private long dropped = -1; // pending changes up to here were let go (too many waiting): readers replay them

    ChangeFeed(ChangeLog log, int capacity) {
        this.log = log;
        this.ring = new Event[capacity];
    }

    /** Called by the follower with the changes it just applied. */
    void applied(Collection<Change> changes) {
        lock.lock();
        try {
            for (Change c : changes) {
                if (released >= 0 && c.seq() > released) {
                    pending.put(c.seq(), c);
                }
            }
            if (pending.size() > ring.length) {
                // a long transaction holds a number back (an all-or-nothing import): rather than holding every
                // change after it, let them go; once released, readers get them from the change log
                dropped = Math.max(dropped, pending.lastKey());
                pending.clear();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Called by the follower after each pass: releases what is now below its safe point. */
    void advance(VersionPublisher.Version v) {
        lock.lock();
        try {
            if (released < 0) {
                released = v.safe();
                floor = v.safe();
                return;
            }
            var it = pending.headMap(v.safe(), true).values().iterator();
            while (it.hasNext()) {
                Change c = it.next();
                it.remove();
                int at = (int) (count % ring.length);
                if (count >= ring.length) {
                    floor = Math.max(floor, ring[at].seq());
                }
                ring[at] = new Event(c.seq(), c.rowId(), c.rowIdTo(), c.op(), v.highSeen());
                count++;
            }
            if (dropped > floor && v.safe() >= dropped) {
                floor = dropped;
            }
            if (v.safe() > released) {
                released = v.safe();
                added.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Applied changes waiting for an earlier number (never more than the ring's capacity). */
    int pending() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    /** Events in the ring now (never more than its capacity). */
    int held() {
        lock.lock();
        try {
            return (int) Math.min(count, ring.length);
        } finally {
            lock.unlock();
        }
    }

    /** The position up to which changes are released; -1 before the index follows the log. */
    public long released() {
        lock.lock();
        try {
            return released;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The changes after {@code after}, at most {@code limit}, waiting up to {@code wait} for some. Changes older
     * than the ring are read from the change log, unless more than {@code maxReplay} of them are wanted or the log
     * no longer holds them: then the batch says {@code behind}.
     */
    public Batch after(long after, int limit, int maxReplay, Duration wait) throws InterruptedException {
        long f;
        long r;
        lock.lock();
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            while (released <= after || released < 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new Batch(List.of(), false, Math.max(after, released));
                }
                added.awaitNanos(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
            }
            if (after >= floor) {
                List<Event> events = fromRing(after, limit);
                long at = events.size() == limit ? events.get(limit - 1).seq() : released;
                return new Batch(events, false, at);
            }
            f = floor;
            r = released;
        } finally {
            lock.unlock();
        }
        return replay(after, f, r, limit, maxReplay);
    }

    /** Events after {@code after} still in the ring (guarded by lock), in order. */
    private List<Event> fromRing(long after, int limit) {
        List<Event> out = new ArrayList<>();
        long first = Math.max(0, count - ring.length);
        for (long i = first; i < count && out.size() < limit; i++) {
            Event e = ring[(int) (i % ring.length)];
            if (e.seq() > after) {
                out.add(e);
            }
        }
        return out;
    }

    /** Reads changes ({@code after}, {@code floor}] back from the change log, when it still holds all of them. */
    private Batch replay(long after, long floor, long released, int limit, int maxReplay) {
        if (floor - after > maxReplay || after < log.prunedThrough()) {
            return new Batch(List.of(), true, released);
        }
        List<Event> out = new ArrayList<>();
        for (Change c : log.after(after, limit)) {
            if (c.seq() > floor) {
                break;
            }
            out.add(new Event(c.seq(), c.rowId(), c.rowIdTo(), c.op(), released));
        }
        if (out.isEmpty()) {
            // nothing numbered in (after, floor] committed: the reader is at the floor
            return new Batch(List.of(), false, floor);
        }
        return new Batch(out, false, out.get(out.size() - 1).seq());
    }
}
