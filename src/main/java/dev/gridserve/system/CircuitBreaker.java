package dev.gridserve.system;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closed → open after N failures in a row; open for a while (calls skipped); then one trial call decides.
 * Logs once per state change, never per request.
 */
public final class CircuitBreaker {
    private static final Logger log = LoggerFactory.getLogger(CircuitBreaker.class);

    private final String name;
    private final int threshold;
    private final long openNanos;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicLong openedAt = new AtomicLong(-1);

    public CircuitBreaker(String name, int threshold, Duration openFor) {
        this.name = name;
        this.threshold = threshold;
        this.openNanos = openFor.toNanos();
    }

    /** Whether a call may be made now; when open, lets one trial through once the wait is over. */
    public boolean allow() {
        long opened = openedAt.get();
        if (opened < 0) {
            return true;
        }
        long now = System.nanoTime();
        // one caller wins the right to try; the rest keep skipping until it reports
        return now - opened >= openNanos && openedAt.compareAndSet(opened, now);
    }

    public void success() {
        failures.set(0);
        if (openedAt.getAndSet(-1) >= 0) {
            log.info("{} is reachable again; using it", name);
        }
    }

    public void failure(Throwable cause) {
        if (failures.incrementAndGet() >= threshold) {
            long now = System.nanoTime();
            if (openedAt.get() < 0 && openedAt.compareAndSet(-1, now)) {
                log.warn(
                        "{} failed {} times in a row ({}); not calling it for {} ms",
                        name,
                        threshold,
                        cause.toString(),
                        openNanos / 1_000_000);
            } else {
                openedAt.set(now);
            }
        }
    }
}
