package dev.gridserve.search;

import java.io.IOException;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.DocIdSetIterator;

/**
 * Facet ordinals of every document of a segment, decoded once into one compact array. Counting facets over a
 * large match set was bound by per-document doc-values decoding and its memory traffic; one array element per
 * document (a byte for a one-value field such as category, a 64-bit mask for tags) keeps it to a single read.
 * Ordinals belong to the segment's core, so deletions do not invalidate them. Fields with more values than
 * these layouts hold are not cached and are read from doc values.
 */
final class FacetOrdinals {
    /**
     * One layout is set: {@code single[doc]} is ordinal + 1 (0 = none), or bit k of {@code narrow[doc]} (up to
     * 16 values) or {@code mask[doc]} (up to 64) says the document has ordinal k. Narrower arrays stay in cache.
     */
    record Leaf(byte[] single, short[] narrow, long[] mask) {}

    private final PerSegment<Leaf> byCore = new PerSegment<>();

    /** The segment's ordinals for {@code field}, or null when they are not cached. */
    Leaf of(LeafReaderContext ctx, String field) throws IOException {
        return byCore.get(ctx.reader().getCoreCacheHelper(), field, leaf -> false, () -> read(ctx, field));
    }

    private static Leaf read(LeafReaderContext ctx, String field) throws IOException {
        SortedSetDocValues dv = DocValues.getSortedSet(ctx.reader(), field);
        long values = dv.getValueCount();
        int maxDoc = ctx.reader().maxDoc();
        if (DocValues.unwrapSingleton(dv) != null && values < 255) {
            byte[] single = new byte[maxDoc];
            for (int doc = dv.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = dv.nextDoc()) {
                QueryDeadline.check(doc);
                single[doc] = (byte) (dv.nextOrd() + 1);
            }
            return new Leaf(single, null, null);
        }
        if (values <= 16) {
            short[] narrow = new short[maxDoc];
            for (int doc = dv.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = dv.nextDoc()) {
                QueryDeadline.check(doc);
                for (int k = dv.docValueCount(); k > 0; k--) {
                    narrow[doc] |= (short) (1 << dv.nextOrd());
                }
            }
            return new Leaf(null, narrow, null);
        }
        if (values <= 64) {
            long[] mask = new long[maxDoc];
            for (int doc = dv.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = dv.nextDoc()) {
                QueryDeadline.check(doc);
                for (int k = dv.docValueCount(); k > 0; k--) {
                    mask[doc] |= 1L << dv.nextOrd();
                }
            }
            return new Leaf(null, null, mask);
        }
        return null;
    }
}
