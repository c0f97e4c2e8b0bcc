package dev.gridserve.search;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.IndexReader;
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
    private final Map<IndexReader.CacheKey, StatsCollector> bySegment = new ConcurrentHashMap<>();

    StatsCollector wholeIndex(IndexSearcher s) throws IOException {
        StatsCollector all = new StatsCollector();
        for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
            IndexReader.CacheHelper helper = leaf.reader().getReaderCacheHelper();
            StatsCollector part = helper == null ? null : bySegment.get(helper.getKey());
            if (part == null) {
                part = aggregate(leaf);
                if (helper != null && bySegment.putIfAbsent(helper.getKey(), part) == null) {
                    helper.addClosedListener(bySegment::remove);
                }
            }
            all.merge(part);
        }
        return all;
    }

    private static StatsCollector aggregate(LeafReaderContext leaf) throws IOException {
        StatsCollector c = new StatsCollector();
        LeafCollector lc = c.getLeafCollector(leaf);
        Bits live = leaf.reader().getLiveDocs();
        int max = leaf.reader().maxDoc();
        for (int doc = 0; doc < max; doc++) {
            if (live == null || live.get(doc)) {
                lc.collect(doc);
            }
        }
        lc.finish();
        return c;
    }
}
