package dev.gridserve.search;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Percent (when the total is known), count and rate of long work, logged at most every two seconds. */
public final class Progress {
    private static final Logger log = LoggerFactory.getLogger(Progress.class);
    private final String what;
    private final long total;
    private final long started = System.nanoTime();
    private long lastLog = started;

    public Progress(String what, long total) {
        this.what = what;
        this.total = total;
    }

    public void step(long done) {
        if ((done & 0x3ff) != 0) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastLog < 2_000_000_000L) {
            return;
        }
        lastLog = now;
        log.info(
                "{}: {} at {}/s",
                what,
                total > 0 ? String.format("%d/%d (%.0f%%)", done, total, 100.0 * done / total) : done,
                rate(done, now));
    }

    public void done(long done) {
        log.info(
                "{}: finished {} in {} s ({}/s)",
                what,
                done,
                String.format("%.1f", (System.nanoTime() - started) / 1e9),
                rate(done, System.nanoTime()));
    }

    private long rate(long done, long now) {
        double secs = Math.max(1e-9, (now - started) / 1e9);
        return Math.round(done / secs);
    }
}
