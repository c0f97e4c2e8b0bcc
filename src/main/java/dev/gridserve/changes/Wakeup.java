package dev.gridserve.changes;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** Lets a thread that sleeps between polls be woken early (a change was announced, a writer waits, a stop). */
final class Wakeup {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    private boolean requested;

    /** Sleeps at most {@code max}, or not at all when a wake-up came since the last sleep. */
    void sleep(Duration max) {
        lock.lock();
        try {
            if (!requested) {
                woken.await(max.toMillis(), TimeUnit.MILLISECONDS);
            }
            requested = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    void wake() {
        lock.lock();
        try {
            requested = true;
            woken.signal();
        } finally {
            lock.unlock();
        }
    }
}
