package dev.gridserve.search;

import java.io.IOException;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.util.BitSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;

/**
 * Whole-catalogue stats from per-segment aggregates. A segment's values never change and its deletions only
 * grow, so each segment remembers the aggregate it last computed and the deletions it excluded; a reader with
 * more deletions takes just the newly deleted documents back out of it. A write therefore costs the stats the
 * few documents it deleted, not a pass over every large segment it touched. Only removing the last value at
 * a minimum or maximum, or a reader older than the remembered one, reads the segment again.
 */
final class SegmentStats {
    /** A segment's aggregate over its documents except {@code deleted} (null: none). */
    private record Known(Aggregator sums, FixedBitSet deleted, int deletions) {}

    /** The aggregate with the most deletions seen, per segment core: what later readers start from. */
    private final PerSegment<Known> byCore = new PerSegment<>();
    /** The aggregate of one reader's live documents. */
    private final PerSegment<Aggregator> byReader = new PerSegment<>();

    /** The summary of every live document; {@code spec}'s text names it among a segment's cached values. */
    Aggregator wholeIndex(IndexSearcher s, IndexLayout layout, Summary spec) throws IOException {
        Aggregator all = new Aggregator(layout, spec);
        String name = "stats:" + spec;
        for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
            all.merge(byReader.get(
                    leaf.reader().getReaderCacheHelper(), name, x -> false, () -> live(leaf, layout, spec, name)));
        }
        return all;
    }

    private Aggregator live(LeafReaderContext leaf, IndexLayout layout, Summary spec, String name) throws IOException {
        LeafReader reader = leaf.reader();
        FixedBitSet deleted = deleted(reader);
        Known known = byCore.get(
                reader.getCoreCacheHelper(),
                name,
                x -> false,
                () -> new Known(aggregate(leaf, layout, spec), deleted, reader.numDeletedDocs()));
        if (known.deletions() == reader.numDeletedDocs()) {
            return known.sums(); // the same deletions: deletions only grow for a core
        }
        Known now = null;
        if (known.deletions() < reader.numDeletedDocs()
                && (known.deleted() == null || FixedBitSet.andNotCount(known.deleted(), deleted) == 0)) {
            FixedBitSet gone = deleted.clone();
            if (known.deleted() != null) {
                gone.andNot(known.deleted());
            }
            Aggregator sums = known.sums().copy();
            if (sums.remove(leaf, new BitSetIterator(gone, gone.cardinality()))) {
                now = new Known(sums, deleted, reader.numDeletedDocs());
            }
        }
        if (now == null) {
            now = new Known(aggregate(leaf, layout, spec), deleted, reader.numDeletedDocs());
        }
        byCore.offer(reader.getCoreCacheHelper(), name, now, (old, offered) -> old.deletions() >= offered.deletions());
        return now.sums();
    }

    /** The reader's deleted documents, or null when it has none. */
    private static FixedBitSet deleted(LeafReader reader) {
        Bits live = reader.getLiveDocs();
        if (live == null) {
            return null;
        }
        FixedBitSet deleted = new FixedBitSet(reader.maxDoc());
        deleted.set(0, reader.maxDoc());
        live.applyMask(deleted, 0);
        deleted.flip(0, reader.maxDoc());
        return deleted;
    }

    private static Aggregator aggregate(LeafReaderContext leaf, IndexLayout layout, Summary spec) throws IOException {
        Aggregator c = new Aggregator(layout, spec);
        LeafCollector lc = c.getLeafCollector(leaf);
        Bits live = leaf.reader().getLiveDocs();
        int max = leaf.reader().maxDoc();
        for (int doc = 0; doc < max; doc++) {
            QueryDeadline.check(doc);
            if (live == null || live.get(doc)) {
                lc.collect(doc);
            }
        }
        lc.finish();
        return c;
    }
}
