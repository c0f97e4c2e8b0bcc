package dev.gridserve.search;

import java.io.IOException;
import java.util.function.Predicate;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.FixedBitSet;

/**
 * Value histograms of the whole catalogue for unfiltered numeric-sort pages, kept per segment: a segment's
 * values never change, so every document's bucket is counted once per segment core. A write that deletes from
 * a segment gives it a new reader; its histogram is the newest one already made for that segment less the
 * documents deleted since (a set difference of the deleted-docs bits, 64 documents a step), so after each
 * refresh the work is proportional to what changed, not to the segment. A histogram is tied to the bucket
 * layout it was built with; when the catalogue's value range moves, the layout changes and segments are read
 * once more.
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
    /** Per segment core: the newest reader's live histogram and the deleted documents it leaves out. */
    private final PerSegment<Latest> latest = new PerSegment<>();

    private record Latest(Entry entry, FixedBitSet deleted) {}

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
                            () -> withoutDeleted(leaf, all, into, stale));
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

    /**
     * The live documents' histogram of a segment with deletions: the newest one made for the segment (or the
     * whole segment's, when there is none, its layout is stale, or it is newer than this reader) less the
     * documents deleted since.
     */
    private Entry withoutDeleted(LeafReaderContext leaf, Entry all, ValueHistogram layout, Predicate<Entry> stale)
            throws IOException {
        int maxDoc = leaf.reader().maxDoc();
        FixedBitSet deleted = new FixedBitSet(maxDoc);
        deleted.set(0, maxDoc);
        leaf.reader().getLiveDocs().applyMask(deleted, 0);
        deleted.flip(0, maxDoc);
        IndexReader.CacheHelper core = leaf.reader().getCoreCacheHelper();
        Latest before = latest.peek(core, layout.field);
        Entry base = all;
        FixedBitSet since = deleted;
        if (before != null
                && !stale.test(before.entry())
                && FixedBitSet.andNotCount(before.deleted(), deleted) == 0) { // this reader has all its deletes
            base = before.entry();
            since = deleted.clone();
            since.andNot(before.deleted());
        }
        int[] counts = base.counts.clone();
        long total = base.total;
        NumericDocValues values = DocValues.getNumeric(leaf.reader(), layout.field);
        for (int doc = since.nextSetBit(0);
                doc != DocIdSetIterator.NO_MORE_DOCS;
                doc = doc + 1 < maxDoc ? since.nextSetBit(doc + 1) : DocIdSetIterator.NO_MORE_DOCS) {
            QueryDeadline.check(doc);
            if (values.advanceExact(doc)) {
                counts[layout.bucket(values.longValue())]--;
                total--;
            }
        }
        Entry e = new Entry(layout.min, layout.shift, counts, total);
        latest.offer(
                core,
                layout.field,
                new Latest(e, deleted),
                (kept, offered) -> !stale.test(kept.entry())
                        && kept.deleted().cardinality() >= offered.deleted().cardinality());
        return e;
    }
}
