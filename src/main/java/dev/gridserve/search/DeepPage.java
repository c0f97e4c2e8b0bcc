package dev.gridserve.search;

import java.io.IOException;
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
        KeyedDocs keys = s.search(
                inBucket,
                Collectors2.manager(() -> new Keys(h.field, lo, hi, capacity), k -> k.rows, KeyedDocs::addAll));
        int at = (int) (rank - before);
        keys.select(0, keys.size, at);
        return new Position(
                new FieldDoc(Integer.MAX_VALUE, Float.NaN, new Object[] {keys.keys[at], keys.ids[at]}),
                h.total,
                h,
                following(keys, at, needed, q.first().descending()));
    }

    /**
     * Where the page starts ({@code after} is null when fewer rows match), how many rows match, the histogram
     * that said so (reused to bound the page read), and the page's hits when the bucket already held all of
     * them (null: read the page after {@code after}).
     */
    record Position(FieldDoc after, long total, ValueHistogram histogram, ScoreDoc[] page) {}

    /** (value, id, doc) of every collected document with a value in [lo, hi]. */
    static final class Keys implements Collector {
        private final String field;
        private final long lo;
        private final long hi;
        final KeyedDocs rows;

        /** Sized up front: the histogram says how many there are. */
        Keys(String field, long lo, long hi, int capacity) {
            this.field = field;
            this.lo = lo;
            this.hi = hi;
            this.rows = new KeyedDocs(capacity);
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
                    if (v >= lo && v <= hi) {
                        rows.add(v, id.advanceExact(doc) ? id.longValue() : 0, base + doc);
                    }
                }
            };
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
        }
    }

    /**
     * The {@code n} keys that follow position {@code at} (selected there) in the sort's direction, as hits in
     * page order, or null when the bucket does not hold that many: then the page is read from the index. Saves
     * reading the bucket's documents a second time for the page.
     */
    private static ScoreDoc[] following(KeyedDocs keys, int at, int n, boolean descending) {
        int from;
        int to;
        if (descending) {
            if (at - n < 0) {
                return null;
            }
            from = at - n;
            to = at - 1;
            keys.select(0, at, from); // the n largest keys below position at are now in [from, to]
        } else {
            if (at + n >= keys.size) {
                return null;
            }
            from = at + 1;
            to = at + n;
            keys.select(from, keys.size, to); // the n smallest keys above position at are now in [from, to]
        }
        keys.sort(from, to + 1);
        ScoreDoc[] hits = new ScoreDoc[n];
        for (int i = 0; i < n; i++) {
            int k = descending ? to - i : from + i;
            hits[i] = new FieldDoc(keys.docs[k], Float.NaN, new Object[] {keys.keys[k], keys.ids[k]});
        }
        return hits;
    }
}
