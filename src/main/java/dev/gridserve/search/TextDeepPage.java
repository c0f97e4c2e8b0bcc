package dev.gridserve.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.util.BytesRef;

/**
 * Deep page-number pages of a one-key text sort. Lucene's sorted collection keeps a priority queue of
 * offset + page entries whose comparisons across segments copy and compare sort texts; at page 500 most of the
 * request went there. Instead each segment's matches are sorted as integers (their ordinals, then ids), the
 * page's start is found by bisecting on rows' sort texts looked up in the other segments (a few hundred term
 * lookups, however deep the page), and only the page itself is merged by text.
 */
final class TextDeepPage {
    private TextDeepPage() {}

    static boolean applies(IndexLayout layout, TableQuery q, int offset) {
        return offset >= DeepPage.THRESHOLD
                && q.cursor() == null
                && !q.multiKey()
                && layout.textSort(q.first().field());
    }

    /** The page's hits in order, as the sorted collection would give them, and how many rows match. */
    record Result(ScoreDoc[] hits, long total) {}

    /** The hits at positions {@code [offset, offset + n)} of {@code query} sorted by {@code order}. */
    static Result page(IndexSearcher s, Query query, IndexLayout layout, Order order, int offset, int n)
            throws IOException {
        String field = layout.sortValues(order.field());
        int window = offset + n;
        List<SortedMatches> segments = s.search(
                query,
                Collectors2.manager(() -> new Collect(field, order.descending(), window), c -> c.segments, (a, b) -> {
                    a.addAll(b);
                    return a;
                }));
        long total = 0;
        for (SortedMatches m : segments) {
            total += m.matched;
        }
        if (offset >= total) {
            return new Result(new ScoreDoc[0], total);
        }
        segments.removeIf(m -> m.rows.size == 0);
        for (SortedMatches m : segments) {
            m.sort();
        }
        int[] start = split(segments, offset);
        return new Result(merge(segments, start, (int) Math.min(n, total - offset)), total);
    }

    /**
     * Per segment, how many of its rows come before position {@code offset} of the whole order. Bisects: a row
     * from the segment with the widest open range is a pivot; counting the rows before it in every segment
     * narrows every range at once.
     */
    private static int[] split(List<SortedMatches> segments, long offset) throws IOException {
        int k = segments.size();
        int[] lo = new int[k];
        int[] hi = new int[k];
        for (int u = 0; u < k; u++) {
            hi[u] = segments.get(u).rows.size;
        }
        int[] at = new int[k];
        while (true) {
            int t = -1;
            int widest = 0;
            for (int u = 0; u < k; u++) {
                if (hi[u] - lo[u] > widest) {
                    widest = hi[u] - lo[u];
                    t = u;
                }
            }
            if (t < 0) {
                return lo;
            }
            int m = (lo[t] + hi[t]) >>> 1;
            SortedMatches pivot = segments.get(t);
            BytesRef term = pivot.term(m);
            long id = pivot.rows.ids[m];
            long before = 0;
            for (int u = 0; u < k; u++) {
                at[u] = u == t ? m : segments.get(u).before(term, id);
                before += at[u];
            }
            if (before == offset) {
                return at;
            }
            if (before < offset) { // the pivot row and everything before it precede the page
                for (int u = 0; u < k; u++) {
                    lo[u] = Math.max(lo[u], at[u]);
                }
                lo[t] = Math.max(lo[t], m + 1);
            } else {
                for (int u = 0; u < k; u++) {
                    hi[u] = Math.min(hi[u], at[u]);
                }
            }
        }
    }

    /** One segment's next row while merging. */
    private static final class Head {
        final SortedMatches segment;
        int at;
        BytesRef term;

        Head(SortedMatches segment, int at) throws IOException {
            this.segment = segment;
            this.at = at;
            this.term = segment.term(at);
        }

        int compareTo(Head o) {
            int c = segment.compareTerms(term, o.term);
            return c != 0 ? c : Long.compare(segment.rows.ids[at], o.segment.rows.ids[o.at]);
        }
    }

    private static ScoreDoc[] merge(List<SortedMatches> segments, int[] start, int n) throws IOException {
        PriorityQueue<Head> heads = new PriorityQueue<>(Head::compareTo);
        for (int u = 0; u < segments.size(); u++) {
            if (start[u] < segments.get(u).rows.size) {
                heads.add(new Head(segments.get(u), start[u]));
            }
        }
        List<ScoreDoc> hits = new ArrayList<>(n);
        while (hits.size() < n && !heads.isEmpty()) {
            Head h = heads.poll();
            SortedMatches m = h.segment;
            hits.add(new FieldDoc(
                    m.docBase + m.rows.docs[h.at], Float.NaN, new Object[] {h.term, m.rowId(m.rows.ids[h.at])}));
            if (++h.at < m.rows.size) {
                h.term = m.term(h.at);
                heads.add(h);
            }
        }
        return hits.toArray(ScoreDoc[]::new);
    }

    /**
     * Gathers every segment's (key, id) pairs, up to each one's window, and no row after the earliest window-th
     * row of a segment already collected: after one big segment, the others hold only what can reach the page.
     */
    private static final class Collect implements Collector {
        final String field;
        final boolean descending;
        final int window;
        final List<SortedMatches> segments = new ArrayList<>();
        SortedMatches.Bound bound;

        Collect(String field, boolean descending, int window) {
            this.field = field;
            this.descending = descending;
            this.window = window;
        }

        @Override
        public LeafCollector getLeafCollector(LeafReaderContext ctx) throws IOException {
            SortedDocValues values = DocValues.getSorted(ctx.reader(), field);
            NumericDocValues ids = DocValues.getNumeric(ctx.reader(), IndexLayout.ID_DV);
            // its own instance for term lookups, so that they share no state with the iteration
            SortedMatches m =
                    new SortedMatches(ctx.docBase, DocValues.getSorted(ctx.reader(), field), descending, window);
            segments.add(m);
            if (bound != null) {
                m.limitTo(bound);
            }
            return new LeafCollector() {
                @Override
                public void setScorer(Scorable scorer) {}

                @Override
                public void collect(int doc) throws IOException {
                    m.matched++;
                    int key = m.key(values.advanceExact(doc) ? values.ordValue() : -1);
                    if (m.mayHold(key)) {
                        m.add(key, doc, m.pageId(ids.advanceExact(doc) ? ids.longValue() : 0));
                    }
                }

                @Override
                public void finish() throws IOException {
                    bound = m.earlier(bound, m.finish());
                }
            };
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
        }
    }
}
