package dev.gridserve.search;

import java.io.IOException;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.util.Bits;

/**
 * Whole-catalogue stats from per-segment aggregates. A segment's live documents only change when its reader
 * changes, so each (segment, deletions) pair is aggregated once; a write re-aggregates just the small new
 * segment and any segment that gained deletions.
 */
final class SegmentStats {
    private final PerSegment<Aggregator> bySegment = new PerSegment<>();

    /** The summary of every live document; {@code spec}'s text names it among a segment's cached values. */
    Aggregator wholeIndex(IndexSearcher s, IndexLayout layout, Summary spec) throws IOException {
        Aggregator all = new Aggregator(layout, spec);
        String name = "stats:" + spec;
        for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
            all.merge(bySegment.get(
                    leaf.reader().getReaderCacheHelper(), name, x -> false, () -> aggregate(leaf, layout, spec)));
        }
        return all;
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
