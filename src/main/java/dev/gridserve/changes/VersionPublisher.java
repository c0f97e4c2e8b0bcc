package dev.gridserve.changes;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * What this instance's index has applied, for everyone but the follower that advances it: writes wait here
 * until their change is searchable, and subscribers (the UI's live refresh, push streams) hear of each new
 * version.
 */
public class VersionPublisher {
    /**
     * The index has seen every change-log number up to {@code highSeen} except {@code holes}; {@code safe} is
     * the highest number below which nothing is missing.
     */
    public record Version(long highSeen, long safe, Set<Long> holes) {
        public Version {
            holes = Set.copyOf(holes);
        }

        public boolean applied(long seq) {
            return seq <= highSeen && !holes.contains(seq);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Consumer<Version>> subscribers = new CopyOnWriteArrayList<>();
    private volatile Version current = new Version(0, 0, Set.of());
    private volatile Runnable hurry = () -> {};

    /** Called by the follower after each pass over the change log. */
    void publish(Version v) {
        Version before;
        lock.lock();
        try {
            before = current;
            current = v;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (v.highSeen() != before.highSeen() || !v.holes().equals(before.holes())) {
            subscribers.forEach(s -> s.accept(v));
        }
    }

    /** What a waiting writer does to make the follower look now rather than at its next poll. */
    void onWaiting(Runnable hurry) {
        this.hurry = hurry;
    }

    public Version current() {
        return current;
    }

    /** Waits until change {@code seq} is searchable here; false when {@code timeout} passed first. */
    public boolean awaitApplied(long seq, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!current.applied(seq)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                hurry.run();
                changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** {@code subscriber} hears every new version, on the follower's thread: it must return quickly. */
    public void subscribe(Consumer<Version> subscriber) {
        subscribers.add(subscriber);
    }
}
