package dev.gridserve.search;

import java.io.IOException;
import java.util.Collection;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.DocIdSetIterator;

/**
 * The highest row id a generation has ever been given, so that a row above it can be added without the delete
 * by id that an update costs: no document can hold its id. Rows come in ascending ids from bulk loads (an import,
 * a seed, a plain SQL INSERT of many rows), and those are then written as a rebuild writes them. Learnt once from
 * everything the writer holds, then kept current by every write; the caller serialises writes.
 */
final class HighestId {
    private static final long UNKNOWN = Long.MIN_VALUE;

    private long highest = UNKNOWN;

    /** The highest id now, reading it from the writer the first time. */
    long get(IndexWriter writer) throws IOException {
        if (highest == UNKNOWN) {
            highest = read(writer);
        }
        return highest;
    }

    /** Whether the highest id has been read from the writer yet. */
    boolean known() {
        return highest != UNKNOWN;
    }

    /** Records ids just written; a no-op until the highest id has been read. */
    void saw(Collection<? extends Row> rows) {
        if (highest == UNKNOWN) {
            return;
        }
        for (Row r : rows) {
            highest = Math.max(highest, r.id());
        }
    }

    /** The highest id of every document the writer holds, deleted ones included (their ids may come back). */
    private static long read(IndexWriter writer) throws IOException {
        long max = -1;
        try (DirectoryReader r = DirectoryReader.open(writer, false, false)) {
            for (LeafReaderContext leaf : r.leaves()) {
                NumericDocValues ids = leaf.reader().getNumericDocValues(IndexLayout.ID_DV);
                if (ids == null) {
                    continue;
                }
                for (int d = ids.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = ids.nextDoc()) {
                    max = Math.max(max, ids.longValue());
                }
            }
        }
        return max;
    }
}
