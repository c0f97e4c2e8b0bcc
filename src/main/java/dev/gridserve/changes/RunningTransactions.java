package dev.gridserve.changes;

import dev.gridserve.system.Dialect;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Who could still commit a change-log entry that is not visible yet: the horizon that decides when a missing
 * change-log number can be given up (see {@link GapTracker}).
 *
 * <p>PostgreSQL: the transaction ids a current snapshot shows in progress, plus those handed out since its
 * xmax, to note them; a later snapshot's in-progress list to see which of them still run. Every writer takes its
 * transaction id before its change-log number (see {@link ChangeLog#nextSeq}), so the holder of a missing number
 * is always among the ids noted when the gap was seen. H2: the embedded database belongs to this one process,
 * so the numbers taken by its open transactions are known exactly, and an id here is such a number.
 */
public class RunningTransactions {
    private final JdbcClient jdbc;
    private final Dialect dialect;
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();

    RunningTransactions(JdbcClient jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    /** H2: the current transaction holds change-log number {@code seq} until it commits or rolls back. */
    void holding(long seq) {
        if (dialect != Dialect.H2 || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return; // outside a transaction the number's statement has already committed
        }
        inFlight.add(seq);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                inFlight.remove(seq);
            }
        });
    }

    /**
     * The transactions that may be running now. A snapshot lists as in progress only ids below its xmax (the
     * newest finished id + 1); ids handed out after that are running too but are not listed, so this also
     * takes a fresh id of its own and counts every id between xmax and it.
     */
    Set<Long> running() {
        return switch (dialect) {
            case POSTGRES ->
                jdbc.sql("SELECT pg_current_snapshot()::text, pg_current_xact_id()::text")
                        .query((rs, n) -> inProgress(rs.getString(1), Long.parseLong(rs.getString(2))))
                        .single();
            case H2 -> Set.copyOf(inFlight);
        };
    }

    /** The ids a snapshot ({@code xmin:xmax:xip,...}) shows in progress, and those from its xmax below {@code next}. */
    static Set<Long> inProgress(String snapshot, long next) {
        String[] parts = snapshot.split(":", -1);
        Set<Long> out = new HashSet<>();
        for (String x : parts[2].split(",")) {
            if (!x.isEmpty()) {
                out.add(Long.parseLong(x));
            }
        }
        for (long x = Long.parseLong(parts[1]); x < next; x++) {
            out.add(x);
        }
        return out;
    }

    /** Those of {@code ids} (from {@link #running}) that are still running. */
    Set<Long> stillRunning(Set<Long> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return switch (dialect) {
            case POSTGRES -> {
                // in progress as a new snapshot sees it, not as the commit log says: a commit is written there
                // a moment before other snapshots see it, and a hole given up in that moment would be lost. Every
                // id asked about is below this snapshot's xmax (running() took a newer id and finished), so
                // the snapshot's list is complete for them.
                Set<Long> inProgress = ids(jdbc.sql("SELECT pg_snapshot_xip(pg_current_snapshot())::text")
                        .query(String.class)
                        .list());
                Set<Long> still = new HashSet<>(ids);
                still.retainAll(inProgress);
                yield still;
            }
            case H2 -> {
                Set<Long> still = new HashSet<>(ids);
                still.retainAll(inFlight);
                yield still;
            }
        };
    }

    private static Set<Long> ids(List<String> texts) {
        Set<Long> out = new HashSet<>();
        texts.forEach(t -> out.add(Long.parseLong(t)));
        return out;
    }
}
