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
 * Value histograms of the whole catalogue for unfiltered numeric-sort pages, kept per segment: a segment's
 * values never change, so every document's bucket is counted once per segment core; a write that deletes
 * from a segment only subtracts its deleted documents (found from the live-docs bits) for the new reader,
 * instead of reading the whole segment again. A histogram is tied to the bucket layout it was built with;
 * when the catalogue's value range moves, the layout changes and segments are read once more.
 */
final class SegmentHistograms {
    private record Entry(long min, int shift, int[] counts, long total) {
        boolean fits(ValueHistogram layout) {
            return min == layout.min && shift == layout.shift;
        }
    }

    /** All documents of a segment, deleted or not. */
    private final Map<IndexReader.CacheKey, Map<String, Entry>> byCore = new ConcurrentHashMap<>();
    /** Live documents of a segment as one reader sees it. */
    private final Map<IndexReader.CacheKey, Map<String, Entry>> byReader = new ConcurrentHashMap<>();

    /** Adds every live document's bucket of {@code field} into {@code into}. */
    void wholeIndex(IndexSearcher s, ValueHistogram into) throws IOException {
        for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
            Bits live = leaf.reader().getLiveDocs();
            Entry all = cached(byCore, leaf.reader().getCoreCacheHelper(), into, () -> read(leaf, into));
            Entry e = live == null
                    ? all
                    : cached(
                            byReader,
                            leaf.reader().getReaderCacheHelper(),
                            into,
                            () -> withoutDeleted(leaf, all, into));
            into.add(e.counts, e.total);
        }
    }

    private interface Reading {
        Entry read() throws IOException;
    }

    private static Entry cached(
            Map<IndexReader.CacheKey, Map<String, Entry>> cache,
            IndexReader.CacheHelper helper,
            ValueHistogram layout,
            Reading reading)
            throws IOException {
        if (helper == null) {
            return reading.read();
        }
        Map<String, Entry> fields = cache.computeIfAbsent(helper.getKey(), key -> {
            helper.addClosedListener(cache::remove);
            return new ConcurrentHashMap<>();
        });
        Entry e = fields.get(layout.field);
        if (e == null || !e.fits(layout)) {
            e = reading.read();
            fields.put(layout.field, e);
        }
        return e;
    }

    private static Entry read(LeafReaderContext leaf, ValueHistogram layout) throws IOException {
        int[] counts = new int[ValueHistogram.BUCKETS];
        long total = 0;
        // every document has every sort field (ProductDocuments writes -1 for a missing rating or review count)
        NumericDocValues values = DocValues.getNumeric(leaf.reader(), layout.field);
        for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
            counts[layout.bucket(values.longValue())]++;
            total++;
        }
        return new Entry(layout.min, layout.shift, counts, total);
    }

    private static Entry withoutDeleted(LeafReaderContext leaf, Entry all, ValueHistogram layout) throws IOException {
        int[] counts = all.counts.clone();
        long total = all.total;
        Bits live = leaf.reader().getLiveDocs();
        NumericDocValues values = DocValues.getNumeric(leaf.reader(), layout.field);
        int maxDoc = leaf.reader().maxDoc();
        for (int doc = 0; doc < maxDoc; doc++) {
            if (!live.get(doc) && values.advanceExact(doc)) {
                counts[layout.bucket(values.longValue())]--;
                total--;
            }
        }
        return new Entry(layout.min, layout.shift, counts, total);
    }
}
