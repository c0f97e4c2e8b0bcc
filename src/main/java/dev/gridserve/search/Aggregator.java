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
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;

/** Collects a {@link Summary} of the matching documents from doc values. */
final class Aggregator implements Collector {
    private final Summary spec;
    private final boolean[] doubles;
    private final long[] missing;
    private final int[][] pairs;
    private final int histogramField;
    final Aggregates.Acc total;
    final long[] buckets;
    final Map<String, Aggregates.Acc> groups = new HashMap<>();

    Aggregator(IndexLayout layout, Summary spec) {
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
        NumericDocValues[] dv = new NumericDocValues[n];
        for (int i = 0; i < n; i++) {
            dv[i] = DocValues.getNumeric(ctx.reader(), spec.fields().get(i));
        }
        SortedSetDocValues group =
                spec.groupBy() == null ? null : DocValues.getSortedSet(ctx.reader(), IndexLayout.facet(spec.groupBy()));
        Aggregates.Acc[] perOrd = group == null ? null : new Aggregates.Acc[(int) group.getValueCount()];
        long[] values = new long[n];
        return new LeafCollector() {
            @Override
            public void setScorer(Scorable scorer) {}

            @Override
            public void collect(int doc) throws IOException {
                for (int i = 0; i < n; i++) {
                    values[i] = dv[i].advanceExact(doc) ? dv[i].longValue() : missing[i];
                }
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
            a.min[i] = Math.min(a.min[i], v);
            a.max[i] = Math.max(a.max[i], v);
        }
        for (int p = 0; p < pairs.length; p++) {
            long x = values[pairs[p][0]];
            long y = values[pairs[p][1]];
            if (x == missing[pairs[p][0]] || y == missing[pairs[p][1]]) {
                continue;
            }
            long hi = Math.multiplyHigh(x, y);
            long lo = x * y;
            if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
                a.products[p].add(lo);
            } else {
                a.products[p].add(BigInteger.valueOf(x).multiply(BigInteger.valueOf(y)));
            }
        }
    }

    private int bucket(long v) {
        int i = Arrays.binarySearch(spec.histogram().edges(), v);
        return Math.max(0, i >= 0 ? i : -i - 2);
    }

    @Override
    public ScoreMode scoreMode() {
        return ScoreMode.COMPLETE_NO_SCORES;
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
