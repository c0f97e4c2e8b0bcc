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
    private final PerSegment<StatsCollector> bySegment = new PerSegment<>();

    StatsCollector wholeIndex(IndexSearcher s) throws IOException {
        StatsCollector all = new StatsCollector();
        for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
            all.merge(bySegment.get(leaf.reader().getReaderCacheHelper(), "stats", x -> false, () -> aggregate(leaf)));
        }
        return all;
    }

    private static StatsCollector aggregate(LeafReaderContext leaf) throws IOException {
        StatsCollector c = new StatsCollector();
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
