package dev.gridserve.search;

import java.util.Collection;

/**
 * An index that changes are written to: the live one, or a build catching up. What is written becomes visible
 * at the next {@link #refresh}, so a bulk load written in many batches is made visible once, not as a small
 * segment per batch that every search, summary and merge would then pay for.
 */
public interface IndexWrites {
    /** Current rows replace their documents, deleted ids lose theirs. */
    void write(Collection<? extends Row> upserts, Collection<Long> deletes);

    /** Makes what was written visible to the next search. */
    void refresh();

    /** Something changed that is not a row (a new epoch): every cached answer must be computed again. */
    default void everythingChanged() {}

    /** Writes and makes visible at once. */
    default void apply(Collection<? extends Row> upserts, Collection<Long> deletes) {
        write(upserts, deletes);
        refresh();
    }
}
