package dev.gridserve.search;

import java.io.IOException;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.util.BytesRef;

/**
 * One segment's matches of a text sort, as (key, id) pairs in page order: the key is the segment's ordinal of
 * the row's sort text (reversed for a descending sort; a row without one sorts first ascending and last
 * descending, as Lucene's comparator has it), the id is the row's id (bit-inverted for a descending sort, so
 * that ascending pairs are always page order). Only the first {@code window} pairs can reach a page that ends
 * at position {@code window}, so once twice that many are held the rest are dropped and later rows beyond the
 * bound are never stored: memory stays proportional to the page's depth, not to the matches.
 */
final class SortedMatches {
    final int docBase;
    final SortedDocValues values;
    private final boolean descending;
    private final int valueCount;
    private final int window;
    /** Rows that matched, held or not. */
    int matched;

    /** Held rows: key, page-order id, segment-local doc; in page order once sorted. */
    final KeyedDocs rows = new KeyedDocs(64);

    // a row after (boundKey, boundId) in page order cannot be among the segment's first `window`
    private long boundKey = Long.MAX_VALUE;
    private long boundId = Long.MAX_VALUE;

    SortedMatches(int docBase, SortedDocValues values, boolean descending, int window) {
        this.docBase = docBase;
        this.values = values;
        this.descending = descending;
        this.valueCount = values.getValueCount();
        this.window = window;
    }

    /** The page-order key of a row with ordinal {@code ord} (-1: the row has no sort text). */
    int key(int ord) {
        return descending ? valueCount - 1 - ord : ord + 1;
    }

    long pageId(long id) {
        return descending ? ~id : id;
    }

    /** The row's own id of a page-order id. */
    long rowId(long pageId) {
        return descending ? ~pageId : pageId;
    }

    /** Whether a row with this key may still be held (its id decides when the key equals the bound's). */
    boolean mayHold(int key) {
        return key <= boundKey;
    }

    /**
     * Holds the row unless it comes after the bound. What is held is always the segment's first rows in page
     * order, which is what lets {@link #before} count the rows before a position exactly below the window.
     */
    void add(int key, int doc, long pageId) {
        if (rows.full() && rows.size >= 2 * window) {
            // keep the first `window` rows in page order; the last of them becomes the bound
            int k = window - 1;
            rows.select(0, rows.size, k);
            rows.size = window;
            boundKey = rows.keys[k];
            boundId = rows.ids[k];
        }
        if (key > boundKey || (key == boundKey && pageId > boundId)) {
            return;
        }
        rows.add(key, pageId, doc);
    }

    /**
     * After the segment is collected: keeps only its first {@code window} rows, and when it has that many, returns
     * the last of them as a bound for the segments collected after it (null otherwise): a row that comes after
     * the window-th row of any one segment cannot be on the page or before it.
     */
    Bound finish() throws IOException {
        if (rows.size < window) {
            return null;
        }
        int k = window - 1;
        rows.select(0, rows.size, k);
        rows.size = window;
        boundKey = rows.keys[k];
        boundId = rows.ids[k];
        return new Bound(term(k), boundId);
    }

    /** A row's position in page order in any segment: its sort text (null: none) and page-order id. */
    record Bound(BytesRef term, long pageId) {}

    /** The earlier of two bounds in page order. */
    Bound earlier(Bound a, Bound b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        int c = compareTerms(a.term(), b.term());
        return c < 0 || (c == 0 && a.pageId() <= b.pageId()) ? a : b;
    }

    /** Holds no row that comes after {@code bound} (a row of another segment). */
    void limitTo(Bound bound) throws IOException {
        Position p = position(bound.term(), bound.pageId());
        boundKey = p.key();
        boundId = p.pageId();
    }

    /** Puts the held rows in page order. */
    void sort() {
        rows.sort(0, rows.size);
    }

    /** The sort text of the held row at {@code i} (a copy), or null when it has none. */
    BytesRef term(int i) throws IOException {
        int key = (int) rows.keys[i];
        int ord = descending ? valueCount - 1 - key : key - 1;
        return ord < 0 ? null : BytesRef.deepCopyOf(values.lookupOrd(ord));
    }

    /**
     * How many held rows come before a row with sort text {@code term} (null: none) and page-order id
     * {@code pageId} from another segment.
     */
    int before(BytesRef term, long pageId) throws IOException {
        Position p = position(term, pageId);
        return rows.lowerBound(p.key(), p.pageId());
    }

    /** A place in this segment's page order, as the (key, page-order id) a row there would have. */
    private record Position(int key, long pageId) {}

    /**
     * Where a row with sort text {@code term} (null: none) and page-order id {@code pageId} from another segment
     * stands among this segment's rows. The text is looked up in this segment's terms: when absent, the row
     * stands after every row whose text sorts before it and before all others (no row has the smallest id).
     */
    private Position position(BytesRef term, long pageId) throws IOException {
        if (term == null) {
            return new Position(key(-1), pageId);
        }
        int ord = values.lookupTerm(term);
        if (ord >= 0) {
            return new Position(key(ord), pageId);
        }
        int insertion = -ord - 1; // the first ordinal whose text sorts after term
        return new Position(descending ? valueCount - insertion : insertion + 1, Long.MIN_VALUE);
    }

    /** Compares sort texts in page order (a row without one first ascending, last descending). */
    int compareTerms(BytesRef a, BytesRef b) {
        int c = a == null ? (b == null ? 0 : -1) : b == null ? 1 : a.compareTo(b);
        return descending ? -c : c;
    }
}
