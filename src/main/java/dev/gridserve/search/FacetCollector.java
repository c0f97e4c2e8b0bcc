package dev.gridserve.search;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;

/** Counts facet values of the matching documents by segment ordinal, resolving each ordinal once. */
final class FacetCollector implements Collector {
    private final List<String> facets;
    private final FacetOrdinals ordinals;
    final Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
    /** Matching documents seen: the exact total, so no separate count pass is needed. */
    long docs;

    FacetCollector(List<String> facets, FacetOrdinals ordinals) {
        this.facets = facets;
        this.ordinals = ordinals;
        facets.forEach(f -> counts.put(f, new HashMap<>()));
    }

    @Override
    public LeafCollector getLeafCollector(LeafReaderContext ctx) throws IOException {
        int n = facets.size();
        SortedSetDocValues[] dv = new SortedSetDocValues[n];
        FacetOrdinals.Leaf[] decoded = new FacetOrdinals.Leaf[n];
        int[][] ords = new int[n][];
        for (int i = 0; i < n; i++) {
            String field = IndexLayout.facet(facets.get(i));
            dv[i] = DocValues.getSortedSet(ctx.reader(), field);
            decoded[i] = ordinals.of(ctx, field);
            ords[i] = new int[(int) dv[i].getValueCount()];
        }
        return new LeafCollector() {
            @Override
            public void setScorer(Scorable scorer) {}

            @Override
            public void collect(int doc) throws IOException {
                docs++;
                for (int i = 0; i < n; i++) {
                    FacetOrdinals.Leaf leaf = decoded[i];
                    if (leaf != null && leaf.single() != null) {
                        int ord = leaf.single()[doc] & 0xff;
                        if (ord != 0) {
                            ords[i][ord - 1]++;
                        }
                    } else if (leaf != null && leaf.narrow() != null) {
                        for (int m = leaf.narrow()[doc] & 0xffff; m != 0; m &= m - 1) {
                            ords[i][Integer.numberOfTrailingZeros(m)]++;
                        }
                    } else if (leaf != null) {
                        for (long m = leaf.mask()[doc]; m != 0; m &= m - 1) {
                            ords[i][Long.numberOfTrailingZeros(m)]++;
                        }
                    } else if (dv[i].advanceExact(doc)) {
                        for (int k = dv[i].docValueCount(); k > 0; k--) {
                            ords[i][(int) dv[i].nextOrd()]++;
                        }
                    }
                }
            }

            @Override
            public void finish() throws IOException {
                for (int i = 0; i < n; i++) {
                    Map<String, Long> target = counts.get(facets.get(i));
                    for (int ord = 0; ord < ords[i].length; ord++) {
                        if (ords[i][ord] > 0) {
                            target.merge(dv[i].lookupOrd(ord).utf8ToString(), (long) ords[i][ord], Long::sum);
                        }
                    }
                }
            }
        };
    }

    @Override
    public ScoreMode scoreMode() {
        return ScoreMode.COMPLETE_NO_SCORES;
    }

    FacetCollector merge(FacetCollector o) {
        o.counts.forEach((facet, m) -> m.forEach((v, c) -> counts.get(facet).merge(v, c, Long::sum)));
        docs += o.docs;
        return this;
    }
}
