package dev.gridserve.search;

import java.io.IOException;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PointValues;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.IndexOrDocValuesQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;

/**
 * How many matching documents fall in each of {@link #BUCKETS} equal value ranges of a numeric sort field.
 * Bucket widths are powers of two (a shift per document instead of a division) spanning the index's value
 * range, so a bucket is also a cheap points range query.
 */
final class ValueHistogram implements Collector {
    static final int BUCKETS = 1 << 14;

    final String field;
    final long min;
    final int shift;
    final long[] counts = new long[BUCKETS];
    long total;

    ValueHistogram(String field, long min, int shift) {
        this.field = field;
        this.min = min;
        this.shift = shift;
    }

    /**
     * The histogram of {@code query}'s matches, or null when no document has the field. The whole catalogue's
     * comes from per-segment caches; any other query is collected.
     */
    static ValueHistogram of(IndexSearcher s, Query query, String field, SegmentHistograms cached) throws IOException {
        byte[] minPacked = PointValues.getMinPackedValue(s.getIndexReader(), field);
        byte[] maxPacked = PointValues.getMaxPackedValue(s.getIndexReader(), field);
        if (minPacked == null || maxPacked == null) {
            return null;
        }
        long min = LongPoint.decodeDimension(minPacked, 0);
        long max = LongPoint.decodeDimension(maxPacked, 0);
        long width = Long.divideUnsigned(max - min, BUCKETS) + 1;
        int shift = 64 - Long.numberOfLeadingZeros(width - 1);
        if (query instanceof MatchAllDocsQuery) {
            ValueHistogram h = new ValueHistogram(field, min, shift);
            cached.wholeIndex(s, h);
            return h;
        }
        return s.search(
                query, Collectors2.manager(() -> new ValueHistogram(field, min, shift), x -> x, ValueHistogram::merge));
    }

    int bucket(long value) {
        return (int) ((value - min) >>> shift);
    }

    long lowest(int bucket) {
        return min + ((long) bucket << shift);
    }

    long highest(int bucket) {
        return lowest(bucket) + ((1L << shift) - 1);
    }

    /** Documents with values in {@code lo..hi} (inclusive), from the points index when that is cheaper. */
    Query range(long lo, long hi) {
        return new IndexOrDocValuesQuery(
                LongPoint.newRangeQuery(field, lo, hi), NumericDocValuesField.newSlowRangeQuery(field, lo, hi));
    }

    /**
     * A value range holding the first {@code needed} matches that sort after {@code afterValue} (null: from the
     * start), in ascending or descending order; the whole range when fewer follow. Values equal to
     * {@code afterValue} are included, since the tie-break decides which of them come after.
     */
    Query window(Long afterValue, boolean descending, long needed) {
        int step = descending ? -1 : 1;
        int b;
        if (afterValue == null) {
            b = descending ? BUCKETS - 1 : 0;
        } else if (afterValue < min) {
            b = descending ? -1 : 0;
        } else {
            int at = (int) Math.min(BUCKETS, (afterValue - min) >>> shift);
            b = at + step;
        }
        long seen = 0;
        for (; b >= 0 && b < BUCKETS; b += step) {
            seen += counts[b];
            if (seen >= needed) {
                break;
            }
        }
        boolean all = b < 0 || b >= BUCKETS;
        if (descending) {
            long lo = all ? Long.MIN_VALUE : lowest(b);
            return range(lo, afterValue == null ? Long.MAX_VALUE : afterValue);
        }
        long hi = all ? Long.MAX_VALUE : highest(b);
        return range(afterValue == null ? Long.MIN_VALUE : afterValue, hi);
    }

    @Override
    public LeafCollector getLeafCollector(LeafReaderContext ctx) throws IOException {
        NumericDocValues value = DocValues.getNumeric(ctx.reader(), field);
        return new LeafCollector() {
            @Override
            public void setScorer(Scorable scorer) {}

            @Override
            public void collect(int doc) throws IOException {
                // every document has every sort field (Documents writes the minimum for a missing value)
                counts[bucket(value.advanceExact(doc) ? value.longValue() : min)]++;
                total++;
            }
        };
    }

    @Override
    public ScoreMode scoreMode() {
        return ScoreMode.COMPLETE_NO_SCORES;
    }

    void add(int[] segmentCounts, long segmentTotal) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += segmentCounts[i];
        }
        total += segmentTotal;
    }

    ValueHistogram merge(ValueHistogram o) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += o.counts[i];
        }
        total += o.total;
        return this;
    }
}
