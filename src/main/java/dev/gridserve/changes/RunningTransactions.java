package dev.gridserve.changes;

import dev.gridserve.system.Dialect;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Who could still commit a change-log entry that is not visible yet: the horizon that decides when a missing
 * change-log number can be given up (see {@link GapTracker}).
 *
 * <p>PostgreSQL: the transaction ids in progress in the current snapshot, and {@code pg_xact_status} to see
 * which of them still run. Every writer takes its transaction id before its change-log number (see {@link
 * ChangeLog#nextSeq}), so the holder of a missing number is always among the ids in progress when the gap was
 * seen. H2: the embedded database belongs to this one process, so the numbers taken by its open transactions
 * are known exactly, and an id here is such a number.
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

    /** The transactions running now. */
    Set<Long> running() {
        return switch (dialect) {
            case POSTGRES ->
                ids(jdbc.sql("SELECT pg_snapshot_xip(pg_current_snapshot())::text")
                        .query(String.class)
                        .list());
            case H2 -> Set.copyOf(inFlight);
        };
    }

    /** Those of {@code ids} (from {@link #running}) that are still running. */
    Set<Long> stillRunning(Set<Long> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return switch (dialect) {
            case POSTGRES -> {
                String array = ids.stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
                // an id too old to have a status (NULL) finished long ago
                yield ids(jdbc.sql("SELECT x::text FROM unnest(CAST(? AS xid8[])) x"
                                + " WHERE pg_xact_status(x) = 'in progress'")
                        .param(array)
                        .query(String.class)
                        .list());
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
