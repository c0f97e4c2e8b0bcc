package dev.gridserve.search;

import dev.gridserve.product.ProductQuery;
import dev.gridserve.product.SortKey;
import java.io.IOException;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.util.ArrayUtil;

/**
 * Deep page-number pages without a priority queue of {@code offset} entries: the (value, id) keys of all
 * matching documents are gathered and the key just before the page is found by quickselect (linear time);
 * the page is then read as a keyset continuation from that key, like a cursor page. Numeric sorts only.
 */
final class DeepPage {
    /** Offsets below this are cheaper to collect directly. */
    static final int THRESHOLD = 2000;

    private DeepPage() {}

    static boolean applies(ProductQuery q, int offset) {
        return offset >= THRESHOLD
                && q.cursor() == null
                && q.sortBy() != SortKey.NAME
                && q.sortBy() != SortKey.RELEVANCE;
    }

    /**
     * The sort key of the row at 0-based position {@code offset - 1}, as a search-after position, or null when
     * fewer rows match.
     */
    static FieldDoc lastBefore(IndexSearcher s, Query query, ProductQuery q, int offset) throws IOException {
        int capacity = s.getIndexReader().maxDoc();
        Keys keys = s.search(
                query,
                Collectors2.manager(() -> new Keys(Fields.sortField(q.sortBy()), capacity), k -> k, Keys::merge));
        if (keys.size < offset) {
            return null;
        }
        int rank = q.descending() ? keys.size - offset : offset - 1;
        int at = keys.select(rank);
        return new FieldDoc(Integer.MAX_VALUE, Float.NaN, new Object[] {keys.values[at], keys.ids[at]});
    }

    /** (value, id) of every collected document, in parallel arrays. */
    static final class Keys implements Collector {
        private final String field;
        long[] values;
        long[] ids;
        int size;

        /** Sized for every document up front: growing arrays of a million keys costs more than selecting. */
        Keys(String field, int capacity) {
            this.field = field;
            this.values = new long[Math.max(16, capacity)];
            this.ids = new long[values.length];
        }

        @Override
        public LeafCollector getLeafCollector(LeafReaderContext ctx) throws IOException {
            NumericDocValues value = DocValues.getNumeric(ctx.reader(), field);
            NumericDocValues id = DocValues.getNumeric(ctx.reader(), Fields.ID_DV);
            return new LeafCollector() {
                @Override
                public void setScorer(Scorable scorer) {}

                @Override
                public void collect(int doc) throws IOException {
                    if (size == values.length) {
                        values = ArrayUtil.grow(values, size + 1);
                        ids = ArrayUtil.growExact(ids, values.length);
                    }
                    values[size] = value.advanceExact(doc) ? value.longValue() : 0;
                    ids[size] = id.advanceExact(doc) ? id.longValue() : 0;
                    size++;
                }
            };
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
        }

        Keys merge(Keys o) {
            for (int i = 0; i < o.size; i++) {
                if (size == values.length) {
                    values = ArrayUtil.grow(values, size + 1);
                    ids = ArrayUtil.growExact(ids, values.length);
                }
                values[size] = o.values[i];
                ids[size] = o.ids[i];
                size++;
            }
            return this;
        }

        /** Rearranges so that position {@code k} holds the k-th smallest key (ascending); returns k. */
        int select(int k) {
            int lo = 0;
            int hi = size - 1;
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(k);
            while (lo < hi) {
                int p = partition(lo, hi, lo + rnd.nextInt(hi - lo + 1));
                if (p == k) {
                    return k;
                } else if (p < k) {
                    lo = p + 1;
                } else {
                    hi = p - 1;
                }
            }
            return k;
        }

        private int partition(int lo, int hi, int pivot) {
            long pv = values[pivot];
            long pid = ids[pivot];
            swap(pivot, hi);
            int store = lo;
            for (int i = lo; i < hi; i++) {
                if (values[i] < pv || (values[i] == pv && ids[i] < pid)) {
                    swap(i, store++);
                }
            }
            swap(store, hi);
            return store;
        }

        private void swap(int i, int j) {
            long v = values[i];
            values[i] = values[j];
            values[j] = v;
            long d = ids[i];
            ids[i] = ids[j];
            ids[j] = d;
        }
    }
}
