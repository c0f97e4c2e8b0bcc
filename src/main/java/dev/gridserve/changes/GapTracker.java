package dev.gridserve.changes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which change-log numbers this index has seen, and which below the highest are still missing.
 *
 * <p>Numbers are taken before a transaction commits, so they become visible out of order: a number skipped
 * between two seen ones is a hole, held by a transaction that is still running or that rolled back. A hole is
 * never given up on a timer: when it is found, the transactions running at that moment (its blockers) are
 * noted, and it is dropped only once none of them is running any more and one more read still does not find
 * it. The transaction that took the number took it before the later number that revealed the hole, so it is
 * among the blockers (writers take their transaction id before their number).
 *
 * <p>Pure state, owned by one thread; the caller reads the database in the order {@link ChangeFollower} does.
 */
final class GapTracker {
    /** A run of more missing numbers than this is not tracked number by number (see {@link #saw}). */
    static final int MAX_HOLE_RUN = 5000;

    private static final class Hole {
        final long since;
        Set<Long> blockers; // null until the horizon after the read that found the hole is known
        boolean blockersDone; // none of the blockers was running at the last check

        Hole(long since) {
            this.since = since;
        }
    }

    private long highSeen;
    private final TreeMap<Long, Hole> holes = new TreeMap<>();

    GapTracker(long start) {
        reset(start);
    }

    /** Everything up to {@code start} is applied and nothing is missing. */
    void reset(long start) {
        highSeen = start;
        holes.clear();
    }

    long highSeen() {
        return highSeen;
    }

    /**
     * Numbers read after {@link #highSeen}, ascending: the ones skipped become holes. A jump of more than
     * {@link #MAX_HOLE_RUN} numbers (a sequence restarted far ahead) is taken as numbers never used.
     */
    void saw(List<Long> fresh, long nowNanos) {
        long prev = highSeen;
        for (long seq : fresh) {
            if (seq <= prev) {
                throw new IllegalArgumentException("numbers must ascend past " + prev + ", got " + seq);
            }
            if (seq - prev - 1 <= MAX_HOLE_RUN) {
                for (long s = prev + 1; s < seq; s++) {
                    holes.put(s, new Hole(nowNanos));
                }
            }
            prev = seq;
        }
        highSeen = prev;
    }

    Set<Long> holes() {
        return Set.copyOf(holes.keySet());
    }

    /** Missing numbers that were read (and applied) at last. */
    void filled(Collection<Long> seqs) {
        seqs.forEach(holes::remove);
    }

    /** Whether some hole does not know its blockers yet. */
    boolean needsHorizon() {
        return holes.values().stream().anyMatch(h -> h.blockers == null);
    }

    /** The transactions running now, taken after the read that found the holes without blockers. */
    void horizon(Set<Long> running) {
        for (Hole h : holes.values()) {
            if (h.blockers == null) {
                h.blockers = Set.copyOf(running);
            }
        }
    }

    /** Every blocker of a hole not yet known to be finished. */
    Set<Long> blockers() {
        Set<Long> all = new HashSet<>();
        for (Hole h : holes.values()) {
            if (h.blockers != null && !h.blockersDone) {
                all.addAll(h.blockers);
            }
        }
        return all;
    }

    /**
     * Which blockers are still running, checked before the next read: a hole none of whose blockers runs can
     * no longer be filled by anything but a commit that the next read will see.
     */
    void stillRunning(Set<Long> running) {
        for (Hole h : holes.values()) {
            if (h.blockers != null && !h.blockersDone) {
                h.blockersDone = h.blockers.stream().noneMatch(running::contains);
            }
        }
    }

    /**
     * Drops the holes whose blockers had all finished before the read that just happened and that it did not
     * fill: their numbers will never appear. Call after {@link #filled} for that read.
     */
    List<Long> dropAbandoned() {
        List<Long> dropped = new ArrayList<>();
        holes.entrySet().removeIf(e -> {
            if (e.getValue().blockersDone) {
                dropped.add(e.getKey());
                return true;
            }
            return false;
        });
        return dropped;
    }

    /** Every number up to this one is applied or known never to commit. */
    long safe() {
        return holes.isEmpty() ? highSeen : holes.firstKey() - 1;
    }

    /** No hole is open: another index that has seen {@link #highSeen} holds exactly the same changes. */
    boolean settled() {
        return holes.isEmpty();
    }

    /** Whether {@code seq} is applied here. */
    boolean applied(long seq) {
        return seq <= highSeen && !holes.containsKey(seq);
    }

    int holeCount() {
        return holes.size();
    }

    /** When the oldest open hole was found ({@link System#nanoTime()}), or -1 when none is open. */
    long oldestHoleSince() {
        return holes.values().stream().mapToLong(h -> h.since).min().orElse(-1);
    }
}
