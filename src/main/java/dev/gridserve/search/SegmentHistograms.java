package dev.gridserve.search;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.Bits;

/**
 * Value histograms of the whole catalogue for deep page numbers, kept per segment like {@link SegmentStats}: a
 * segment's live documents only change with its reader, so an unfiltered deep page reads each (segment,
 * deletions) pair once and afterwards only adds up small arrays. A histogram is tied to the bucket layout it
 * was built with; when the catalogue's value range moves, the layout changes and segments are re-read once.
 */
final class SegmentHistograms {
    private record Entry(long min, int shift, int[] counts, long total) {}

    private final Map<IndexReader.CacheKey, Map<String, Entry>> bySegment = new ConcurrentHashMap<>();

    /** Adds every live document's bucket of {@code field} into {@code into}. */
    void wholeIndex(IndexSearcher s, ValueHistogram into) throws IOException {
        for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
            IndexReader.CacheHelper helper = leaf.reader().getReaderCacheHelper();
            Map<String, Entry> cached = helper == null ? null : segment(helper);
            Entry e = cached == null ? null : cached.get(into.field);
            if (e == null || e.min != into.min || e.shift != into.shift) {
                e = read(leaf, into);
                if (cached != null) {
                    cached.put(into.field, e);
                }
            }
            into.add(e.counts, e.total);
        }
    }

    private Map<String, Entry> segment(IndexReader.CacheHelper helper) {
        return bySegment.computeIfAbsent(helper.getKey(), key -> {
            helper.addClosedListener(bySegment::remove);
            return new ConcurrentHashMap<>();
        });
    }

    private static Entry read(LeafReaderContext leaf, ValueHistogram layout) throws IOException {
        int[] counts = new int[ValueHistogram.BUCKETS];
        long total = 0;
        Bits live = leaf.reader().getLiveDocs();
        // every document has every sort field (ProductDocuments writes -1 for a missing rating or review count)
        NumericDocValues values = DocValues.getNumeric(leaf.reader(), layout.field);
        for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
            if (live == null || live.get(doc)) {
                counts[layout.bucket(values.longValue())]++;
                total++;
            }
        }
        return new Entry(layout.min, layout.shift, counts, total);
    }
}
