package dev.gridserve.search;

import java.io.IOException;
import java.util.function.Predicate;
import org.apache.lucene.index.DocValues;
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
    private final PerSegment<Entry> byCore = new PerSegment<>();
    /** Live documents of a segment as one reader sees it. */
    private final PerSegment<Entry> byReader = new PerSegment<>();

    /** Adds every live document's bucket of {@code field} into {@code into}. */
    void wholeIndex(IndexSearcher s, ValueHistogram into) throws IOException {
        Predicate<Entry> stale = e -> !e.fits(into);
        for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
            Entry all = byCore.get(leaf.reader().getCoreCacheHelper(), into.field, stale, () -> read(leaf, into));
            Entry e = leaf.reader().getLiveDocs() == null
                    ? all
                    : byReader.get(
                            leaf.reader().getReaderCacheHelper(),
                            into.field,
                            stale,
                            () -> withoutDeleted(leaf, all, into));
            into.add(e.counts, e.total);
        }
    }

    private static Entry read(LeafReaderContext leaf, ValueHistogram layout) throws IOException {
        int[] counts = new int[ValueHistogram.BUCKETS];
        long total = 0;
        // every document has every sort field (Documents writes the minimum for a missing value)
        NumericDocValues values = DocValues.getNumeric(leaf.reader(), layout.field);
        for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
            QueryDeadline.check(doc);
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
            QueryDeadline.check(doc);
            if (!live.get(doc) && values.advanceExact(doc)) {
                counts[layout.bucket(values.longValue())]--;
                total--;
            }
        }
        return new Entry(layout.min, layout.shift, counts, total);
    }
}
