package dev.gridserve.search;

import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.util.ArrayUtil;

/**
 * Deep page-number pages without a priority queue of {@code offset} entries: the key just before the page is
 * found in linear time (a value histogram narrows it to one bucket, quickselect finishes), then the page is
 * read as a keyset continuation from that key, like a cursor page. Numeric sorts only. Unfiltered pages take
 * the histogram from per-segment caches, so their cost no longer grows with the catalogue.
 */
final class DeepPage {
    /** Offsets below this are cheaper to collect directly. */
    static final int THRESHOLD = 2000;

    private DeepPage() {}

    static boolean applies(IndexLayout layout, TableQuery q, int offset) {
        return offset >= THRESHOLD
                && q.cursor() == null
                && !q.multiKey()
                && !q.first().field().equals(IndexLayout.RELEVANCE)
                && !layout.textSort(q.first().field());
    }

    /**
     * The sort key of the row at 0-based position {@code offset - 1}, as a search-after position, with the
     * number of matches (the histogram counts them, so no separate count pass is needed). A histogram of sort
     * values finds the bucket holding that rank, then only that bucket's (value, id) keys are gathered and
     * selected from.
     */
    static Position lastBefore(
            IndexSearcher s, Query query, TableQuery q, int offset, int needed, SegmentHistograms cached)
            throws IOException {
        ValueHistogram h = ValueHistogram.of(s, query, q.first().field(), cached);
        if (h == null) {
            return new Position(null, 0, null, null); // no documents with this field at all
        }
        if (h.total < offset) {
            return new Position(null, h.total, h, null);
        }
        long rank = q.first().descending() ? h.total - offset : offset - 1; // among matches in ascending order
        int bucket = 0;
        long before = 0;
        while (before + h.counts[bucket] <= rank) {
            before += h.counts[bucket++];
        }
        long lo = h.lowest(bucket);
        long hi = h.highest(bucket);
        // the points index finds the bucket's documents without visiting every match again
        Query inBucket = query instanceof MatchAllDocsQuery
                ? h.range(lo, hi)
                : new BooleanQuery.Builder()
                        .add(query, Occur.FILTER)
                        .add(h.range(lo, hi), Occur.FILTER)
                        .build();
        int capacity = (int) h.counts[bucket];
        Keys keys =
                s.search(inBucket, Collectors2.manager(() -> new Keys(h.field, lo, hi, capacity), k -> k, Keys::merge));
        int at = keys.select(0, keys.size - 1, (int) (rank - before));
        return new Position(
                new FieldDoc(Integer.MAX_VALUE, Float.NaN, new Object[] {keys.values[at], keys.ids[at]}),
                h.total,
                h,
                keys.following(at, needed, q.first().descending()));
    }

    /**
     * Where the page starts ({@code after} is null when fewer rows match), how many rows match, the histogram
     * that said so (reused to bound the page read), and the page's hits when the bucket already held all of
     * them (null: read the page after {@code after}).
     */
    record Position(FieldDoc after, long total, ValueHistogram histogram, ScoreDoc[] page) {}

    /** (value, id) of every collected document, in parallel arrays. */
    static final class Keys implements Collector {
        private final String field;
        private final long lo;
        private final long hi;
        long[] values;
        long[] ids;
        int[] docs; // index-wide doc ids
        int size;

        /** Keys with values in [lo, hi]; sized up front (the histogram says how many there are). */
        Keys(String field, long lo, long hi, int capacity) {
            this.field = field;
            this.lo = lo;
            this.hi = hi;
            this.values = new long[Math.max(16, capacity)];
            this.ids = new long[values.length];
            this.docs = new int[values.length];
        }

        @Override
        public LeafCollector getLeafCollector(LeafReaderContext ctx) throws IOException {
            NumericDocValues value = DocValues.getNumeric(ctx.reader(), field);
            NumericDocValues id = DocValues.getNumeric(ctx.reader(), IndexLayout.ID_DV);
            int base = ctx.docBase;
            return new LeafCollector() {
                @Override
                public void setScorer(Scorable scorer) {}

                @Override
                public void collect(int doc) throws IOException {
                    long v = value.advanceExact(doc) ? value.longValue() : 0;
                    if (v < lo || v > hi) {
                        return;
                    }
                    if (size == values.length) {
                        grow();
                    }
                    values[size] = v;
                    ids[size] = id.advanceExact(doc) ? id.longValue() : 0;
                    docs[size] = base + doc;
                    size++;
                }
            };
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
        }

        private void grow() {
            values = ArrayUtil.grow(values, size + 1);
            ids = ArrayUtil.growExact(ids, values.length);
            docs = ArrayUtil.growExact(docs, values.length);
        }

        Keys merge(Keys o) {
            for (int i = 0; i < o.size; i++) {
                if (size == values.length) {
                    grow();
                }
                values[size] = o.values[i];
                ids[size] = o.ids[i];
                docs[size] = o.docs[i];
                size++;
            }
            return this;
        }

        /**
         * The {@code n} keys that follow position {@code at} (selected there) in the sort's direction, as hits
         * in page order, or null when the bucket does not hold that many: then the page is read from the index.
         * Saves reading the bucket's documents a second time for the page.
         */
        ScoreDoc[] following(int at, int n, boolean descending) {
            int from;
            int to;
            if (descending) {
                if (at - n < 0) {
                    return null;
                }
                from = at - n;
                to = at - 1;
                select(0, at - 1, from); // the n largest keys below position at are now in [from, to]
            } else {
                if (at + n >= size) {
                    return null;
                }
                from = at + 1;
                to = at + n;
                select(from, size - 1, to); // the n smallest keys above position at are now in [from, to]
            }
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = from + i;
            }
            Comparator<Integer> asc =
                    Comparator.<Integer>comparingLong(i -> values[i]).thenComparingLong(i -> ids[i]);
            Arrays.sort(order, descending ? asc.reversed() : asc);
            ScoreDoc[] hits = new ScoreDoc[n];
            for (int i = 0; i < n; i++) {
                int k = order[i];
                hits[i] = new FieldDoc(docs[k], Float.NaN, new Object[] {values[k], ids[k]});
            }
            return hits;
        }

        /** Rearranges [lo, hi] so that position {@code k} holds its k-th smallest key (ascending); returns k. */
        int select(int lo, int hi, int k) {
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
            int x = docs[i];
            docs[i] = docs[j];
            docs[j] = x;
        }
    }
}
