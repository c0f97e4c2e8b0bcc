package dev.gridserve.search;

import dev.gridserve.schema.FieldDef;
import dev.gridserve.schema.FieldType;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;

/** Collects a {@link Summary} of the matching documents from doc values. */
final class Aggregator implements Collector {
    private final IndexLayout layout;
    private final Summary spec;
    private final boolean[] doubles;
    private final long[] missing;
    private final int[][] pairs;
    private final int histogramField;
    final Aggregates.Acc total;
    final long[] buckets;
    final Map<String, Aggregates.Acc> groups = new HashMap<>();

    Aggregator(IndexLayout layout, Summary spec) {
        this.layout = layout;
        this.spec = spec;
        int n = spec.fields().size();
        doubles = new boolean[n];
        missing = new long[n];
        for (int i = 0; i < n; i++) {
            FieldDef f = layout.require(spec.fields().get(i));
            if (!IndexLayout.numeric(f)) {
                throw new IllegalArgumentException(f.name() + " holds no numbers");
            }
            doubles[i] = f.type() == FieldType.DOUBLE;
            missing[i] = IndexLayout.missing(f);
        }
        pairs = spec.products().stream()
                .map(p -> new int[] {spec.index(p.a()), spec.index(p.b())})
                .toArray(int[][]::new);
        histogramField =
                spec.histogram() == null ? -1 : spec.index(spec.histogram().field());
        total = acc();
        buckets = new long[spec.histogram() == null ? 0 : spec.histogram().edges().length];
    }

    private Aggregates.Acc acc() {
        return new Aggregates.Acc(spec.fields().size(), spec.products().size());
    }

    Aggregates result() {
        return new Aggregates(total, groups, buckets.clone());
    }

    @Override
    public LeafCollector getLeafCollector(LeafReaderContext ctx) throws IOException {
        int n = spec.fields().size();
        NumericDocValues[] dv = numbers(ctx);
        SortedSetDocValues group = group(ctx);
        Aggregates.Acc[] perOrd = group == null ? null : new Aggregates.Acc[(int) group.getValueCount()];
        long[] values = new long[n];
        return new LeafCollector() {
            @Override
            public void setScorer(Scorable scorer) {}

            @Override
            public void collect(int doc) throws IOException {
                read(dv, doc, values);
                add(total, values);
                if (histogramField >= 0 && values[histogramField] != missing[histogramField]) {
                    buckets[bucket(values[histogramField])]++;
                }
                if (group != null && group.advanceExact(doc)) {
                    for (int k = group.docValueCount(); k > 0; k--) {
                        int ord = (int) group.nextOrd();
                        Aggregates.Acc a = perOrd[ord];
                        if (a == null) {
                            a = perOrd[ord] = acc();
                        }
                        add(a, values);
                    }
                }
            }

            @Override
            public void finish() throws IOException {
                if (perOrd == null) {
                    return;
                }
                for (int ord = 0; ord < perOrd.length; ord++) {
                    if (perOrd[ord] != null) {
                        groups.computeIfAbsent(group.lookupOrd(ord).utf8ToString(), k -> acc())
                                .merge(perOrd[ord]);
                    }
                }
            }
        };
    }

    private NumericDocValues[] numbers(LeafReaderContext ctx) throws IOException {
        NumericDocValues[] dv = new NumericDocValues[spec.fields().size()];
        for (int i = 0; i < dv.length; i++) {
            dv[i] = DocValues.getNumeric(ctx.reader(), spec.fields().get(i));
        }
        return dv;
    }

    private SortedSetDocValues group(LeafReaderContext ctx) throws IOException {
        return spec.groupBy() == null ? null : DocValues.getSortedSet(ctx.reader(), IndexLayout.facet(spec.groupBy()));
    }

    private void read(NumericDocValues[] dv, int doc, long[] values) throws IOException {
        for (int i = 0; i < dv.length; i++) {
            values[i] = dv[i].advanceExact(doc) ? dv[i].longValue() : missing[i];
        }
    }

    /**
     * Takes {@code docs} (ascending, of the segment this aggregator summed) back out. False when that removed the
     * last value equal to some minimum or maximum, which only reading the remaining documents can replace; the
     * aggregator is then unusable.
     */
    boolean remove(LeafReaderContext ctx, DocIdSetIterator docs) throws IOException {
        NumericDocValues[] dv = numbers(ctx);
        SortedSetDocValues group = group(ctx);
        Map<Long, String> names = new HashMap<>();
        long[] values = new long[dv.length];
        for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
            QueryDeadline.check(doc);
            read(dv, doc, values);
            if (!remove(total, values)) {
                return false;
            }
            if (histogramField >= 0 && values[histogramField] != missing[histogramField]) {
                buckets[bucket(values[histogramField])]--;
            }
            if (group != null && group.advanceExact(doc)) {
                for (int k = group.docValueCount(); k > 0; k--) {
                    long ord = group.nextOrd();
                    String name = names.get(ord);
                    if (name == null) {
                        names.put(ord, name = group.lookupOrd(ord).utf8ToString());
                    }
                    Aggregates.Acc a = groups.get(name);
                    if (!remove(a, values)) {
                        return false;
                    }
                    if (a.count == 0) {
                        groups.remove(name);
                    }
                }
            }
        }
        return true;
    }

    private void add(Aggregates.Acc a, long[] values) {
        a.count++;
        for (int i = 0; i < values.length; i++) {
            long v = values[i];
            if (v == missing[i]) {
                continue;
            }
            a.present[i]++;
            if (doubles[i]) {
                double d = org.apache.lucene.util.NumericUtils.sortableLongToDouble(v);
                a.doubleSums[i] += d;
                if (d == 0) {
                    a.zeros[i]++;
                }
            } else {
                a.sums[i].add(v);
                if (v == 0) {
                    a.zeros[i]++;
                }
            }
            if (v < a.min[i]) {
                a.min[i] = v;
                a.minCount[i] = 1;
            } else if (v == a.min[i]) {
                a.minCount[i]++;
            }
            if (v > a.max[i]) {
                a.max[i] = v;
                a.maxCount[i] = 1;
            } else if (v == a.max[i]) {
                a.maxCount[i]++;
            }
        }
        addProducts(a, values, false);
    }

    /** Adds (or with {@code negate}, takes away) each pair's product; a product past a long goes through BigInteger. */
    private void addProducts(Aggregates.Acc a, long[] values, boolean negate) {
        for (int p = 0; p < pairs.length; p++) {
            long x = values[pairs[p][0]];
            long y = values[pairs[p][1]];
            if (x == missing[pairs[p][0]] || y == missing[pairs[p][1]]) {
                continue;
            }
            long hi = Math.multiplyHigh(x, y);
            long lo = x * y;
            if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
                if (negate) {
                    a.products[p].subtract(lo);
                } else {
                    a.products[p].add(lo);
                }
            } else {
                BigInteger xy = BigInteger.valueOf(x).multiply(BigInteger.valueOf(y));
                a.products[p].add(negate ? xy.negate() : xy);
            }
        }
    }

    /** The reverse of {@link #add}; false when the last value at a minimum or maximum went. */
    private boolean remove(Aggregates.Acc a, long[] values) {
        a.count--;
        for (int i = 0; i < values.length; i++) {
            long v = values[i];
            if (v == missing[i]) {
                continue;
            }
            a.present[i]--;
            if (doubles[i]) {
                // not bit-exact: the sum of the rest may differ from a fresh one in its last bits, as sums
                // taken in another order do; answers round far above that
                double d = org.apache.lucene.util.NumericUtils.sortableLongToDouble(v);
                a.doubleSums[i] -= d;
                if (d == 0) {
                    a.zeros[i]--;
                }
            } else {
                a.sums[i].subtract(v);
                if (v == 0) {
                    a.zeros[i]--;
                }
            }
            if (a.present[i] == 0) {
                a.min[i] = Long.MAX_VALUE;
                a.max[i] = Long.MIN_VALUE;
                a.minCount[i] = a.maxCount[i] = 0;
                a.doubleSums[i] = 0;
            } else if ((v == a.min[i] && --a.minCount[i] == 0) || (v == a.max[i] && --a.maxCount[i] == 0)) {
                return false;
            }
        }
        addProducts(a, values, true);
        return true;
    }

    private int bucket(long v) {
        int i = Arrays.binarySearch(spec.histogram().edges(), v);
        return Math.max(0, i >= 0 ? i : -i - 2);
    }

    @Override
    public ScoreMode scoreMode() {
        return ScoreMode.COMPLETE_NO_SCORES;
    }

    /** A new aggregator holding the same totals, to change without changing this one. */
    Aggregator copy() {
        return new Aggregator(layout, spec).merge(this);
    }

    Aggregator merge(Aggregator o) {
        total.merge(o.total);
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] += o.buckets[i];
        }
        o.groups.forEach((k, v) -> groups.computeIfAbsent(k, x -> acc()).merge(v));
        return this;
    }
}
