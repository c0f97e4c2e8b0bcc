package dev.gridserve.changes;

import dev.gridserve.changes.ChangeLog.Change;
import dev.gridserve.search.IndexWrites;
import dev.gridserve.search.Row;
import dev.gridserve.search.RowSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns change-log entries into index updates. Entries carry only ids: the current row of each is read, so
 * applying an entry twice, or out of order, leaves the index as the database is now. What one {@link #apply}
 * writes becomes visible at once, at its end.
 */
class ChangeApplier {
    private static final int RANGE_BATCH = 5000;

    private final RowSource source;

    ChangeApplier(RowSource source) {
        this.source = source;
    }

    /** Applies {@code changes}; true when one of them is a bulk load of an older log that needs a rebuild. */
    boolean apply(List<Change> changes, IndexWrites target) {
        Set<Long> ids = new LinkedHashSet<>();
        boolean rebuild = false;
        for (Change c : changes) {
            switch (c.op()) {
                case ChangeLog.UPSERT, ChangeLog.DELETE -> ids.add(c.rowId());
                case ChangeLog.RANGE -> applyRange(c.rowId(), c.rowIdTo(), target);
                case ChangeLog.BULK -> rebuild = true;
                default -> target.everythingChanged(); // EPOCH: a new version, nothing carried into it
            }
        }
        applyIds(ids, target); // the ranges written above become visible with these
        return rebuild;
    }

    /** Applies the current rows of {@code ids}, deleting those no longer in the database; then refreshes. */
    void applyIds(Collection<Long> ids, IndexWrites target) {
        if (!ids.isEmpty()) {
            List<? extends Row> rows = source.findAll(ids);
            Set<Long> deleted = new HashSet<>(ids);
            rows.forEach(p -> deleted.remove(p.id()));
            target.write(rows, deleted);
        }
        target.refresh();
    }

    private void applyRange(long from, long to, IndexWrites target) {
        List<Row> batch = new ArrayList<>(RANGE_BATCH);
        source.forEachInRange(from, to, p -> {
            batch.add(p);
            if (batch.size() == RANGE_BATCH) {
                target.write(List.copyOf(batch), List.of());
                batch.clear();
            }
        });
        target.write(batch, List.of());
    }
}
