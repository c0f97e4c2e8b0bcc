package dev.gridserve.search;

import java.io.IOException;
import java.util.PriorityQueue;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;

/**
 * An export in the index's own order (the default sort, newest first). Every segment holds its documents in
 * that order, so the matches of all segments are merged as they come, one head per segment on a heap, in one
 * pass. Search-after batches walk each segment again from its start for every batch, which at 10M rows made
 * an export quadratic.
 */
final class IndexOrderExport {
    private IndexOrderExport() {}

    /** True when every segment is sorted by {@code sort}, so the merge yields exactly the sorted result. */
    static boolean applies(IndexSearcher s, Sort sort) {
        for (SortField f : sort.getSort()) {
            if (f.getType() != SortField.Type.LONG) {
                return false;
            }
        }
        for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
            if (!sort.equals(leaf.reader().getMetaData().sort())) {
                return false;
            }
        }
        return true;
    }

    static void run(IndexSearcher s, Query query, Sort sort, TableSearcher.RowSink sink) throws IOException {
        SortField[] keys = sort.getSort();
        JsonCodec codec = IndexGeneration.json(s);
        Weight weight = s.createWeight(s.rewrite(query), ScoreMode.COMPLETE_NO_SCORES, 1f);
        PriorityQueue<Head> heads =
                new PriorityQueue<>(Math.max(1, s.getIndexReader().leaves().size()), Head::compare);
        for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
            Scorer scorer = weight.scorer(leaf);
            if (scorer != null) {
                Head h = new Head(leaf, scorer.iterator(), keys, codec);
                if (h.next()) {
                    heads.add(h);
                }
            }
        }
        while (!heads.isEmpty()) {
            Head h = heads.poll();
            sink.accept(h.json());
            if (h.next()) {
                heads.add(h);
            }
        }
    }

    /** One segment's next match and its sort values. */
    private static final class Head {
        private final DocIdSetIterator docs;
        private final Bits live;
        private final NumericDocValues[] sortValues;
        private final boolean[] reverse;
        private final long[] missing;
        private final long[] values;
        private final BinaryDocValues json;
        private final JsonCodec codec;
        private int doc;

        Head(LeafReaderContext leaf, DocIdSetIterator docs, SortField[] keys, JsonCodec codec) throws IOException {
            this.codec = codec;
            this.docs = docs;
            this.live = leaf.reader().getLiveDocs();
            this.sortValues = new NumericDocValues[keys.length];
            this.reverse = new boolean[keys.length];
            this.missing = new long[keys.length];
            this.values = new long[keys.length];
            for (int i = 0; i < keys.length; i++) {
                sortValues[i] = DocValues.getNumeric(leaf.reader(), keys[i].getField());
                reverse[i] = keys[i].getReverse();
                missing[i] = keys[i].getMissingValue() instanceof Long m ? m : 0L;
            }
            this.json = DocValues.getBinary(leaf.reader(), IndexLayout.JSON);
        }

        /** Moves to the next live match; false when the segment has no more. */
        boolean next() throws IOException {
            // a scorer's iterator also lists deleted documents: only searches filter them
            for (doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
                if (live == null || live.get(doc)) {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = sortValues[i].advanceExact(doc) ? sortValues[i].longValue() : missing[i];
                    }
                    return true;
                }
            }
            return false;
        }

        String json() throws IOException {
            return codec.decode(json, doc);
        }

        static int compare(Head a, Head b) {
            for (int i = 0; i < a.values.length; i++) {
                int c = Long.compare(a.values[i], b.values[i]);
                if (c != 0) {
                    return a.reverse[i] ? -c : c;
                }
            }
            return 0;
        }
    }
}
