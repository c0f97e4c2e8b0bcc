package dev.gridserve.changes;

import org.springframework.transaction.support.TransactionTemplate;

/**
 * Whether answers computed from the live index may be cached under its data version. Not while the index is
 * known to differ from the database (a divergence, or a bulk load of an older log not yet rebuilt), nor once
 * it is healed until a new data version has been logged and applied: every instance then moves to the new
 * version, so nothing cached from the diverged index is served anywhere.
 */
final class CacheTrust {
    private final ChangeLog changes;
    private final TransactionTemplate tx;
    private volatile boolean diverged;
    private volatile boolean epochPending;
    private volatile long untrustedUntil = -1;

    CacheTrust(ChangeLog changes, TransactionTemplate tx) {
        this.changes = changes;
        this.tx = tx;
    }

    /** The live index differs from the database: nothing is cached from it until {@link #healed}. */
    void distrust() {
        diverged = true;
    }

    boolean diverged() {
        return diverged;
    }

    /** The live index mirrors the database again: a new data version retires what was cached before. */
    void healed() {
        epochPending = true;
        logEpochIfPending();
    }

    /** Logs the new data version a heal asked for (retried by the follower while the database is away). */
    void logEpochIfPending() {
        if (!epochPending) {
            return;
        }
        long seq = tx.execute(s -> {
            long q = changes.nextSeq();
            changes.appendEpoch(q);
            return q;
        });
        untrustedUntil = seq;
        epochPending = false;
        diverged = false;
    }

    /** Whether an index that has seen what {@code tracker} says may have its answers cached. */
    boolean allows(GapTracker tracker) {
        return !diverged && !epochPending && tracker.settled() && tracker.applied(untrustedUntil);
    }
}
