package dev.gridserve.search;

import java.io.IOException;
import java.math.BigInteger;
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
import org.apache.lucene.util.NumericUtils;

/** Sums, minima and per-category aggregates of the matching documents, read from doc values. */
final class StatsCollector implements Collector {
    /** Running totals of one group; prices in cents. */
    static final class Acc {
        long count;
        long stock;
        long priceSum;
        long minPrice = Long.MAX_VALUE;
        long maxPrice = Long.MIN_VALUE;
        double ratingSum;
        long rated;
        long outOfStock;
        BigInteger inventory = BigInteger.ZERO;
        long inventoryPart;

        void add(long price, long stockValue, long ratingBits) {
            count++;
            stock += stockValue;
            priceSum += price;
            minPrice = Math.min(minPrice, price);
            maxPrice = Math.max(maxPrice, price);
            if (stockValue == 0) {
                outOfStock++;
            }
            if (ratingBits != ProductDocuments.MISSING) {
                ratingSum += NumericUtils.sortableLongToDouble(ratingBits);
                rated++;
            }
            // price * stock fits a long (1e8 * 2^31); the running sum may not, so spill into a BigInteger.
            long value = price * stockValue;
            long sum = inventoryPart + value;
            if (((inventoryPart ^ sum) & (value ^ sum)) < 0) {
                inventory = inventory.add(BigInteger.valueOf(inventoryPart));
                sum = value;
            }
            inventoryPart = sum;
        }

        void merge(Acc o) {
            count += o.count;
            stock += o.stock;
            priceSum += o.priceSum;
            minPrice = Math.min(minPrice, o.minPrice);
            maxPrice = Math.max(maxPrice, o.maxPrice);
            ratingSum += o.ratingSum;
            rated += o.rated;
            outOfStock += o.outOfStock;
            inventory = inventory.add(o.inventoryValue());
        }

        /** A new total of {@code a} and {@code b}, leaving both unchanged. */
        static Acc sum(Acc a, Acc b) {
            Acc s = new Acc();
            s.merge(a);
            s.merge(b);
            return s;
        }

        BigInteger inventoryValue() {
            return inventory.add(BigInteger.valueOf(inventoryPart));
        }
    }

    /** Lower edges (cents) of the price histogram's buckets; the last bucket is open-ended. */
    static final long[] PRICE_EDGES = {0, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000};

    final Acc total = new Acc();
    final long[] priceBuckets = new long[PRICE_EDGES.length];
    final Map<String, Acc> byCategory = new HashMap<>();

    @Override
    public LeafCollector getLeafCollector(LeafReaderContext ctx) throws IOException {
        NumericDocValues price = DocValues.getNumeric(ctx.reader(), Fields.PRICE);
        NumericDocValues stock = DocValues.getNumeric(ctx.reader(), Fields.STOCK);
        NumericDocValues rating = DocValues.getNumeric(ctx.reader(), Fields.RATING_SORT);
        SortedSetDocValues category = DocValues.getSortedSet(ctx.reader(), Fields.CATEGORY_FACET);
        Acc[] perOrd = new Acc[(int) category.getValueCount()];
        return new LeafCollector() {
            @Override
            public void setScorer(Scorable scorer) {}

            @Override
            public void collect(int doc) throws IOException {
                long p = price.advanceExact(doc) ? price.longValue() : 0;
                long s = stock.advanceExact(doc) ? stock.longValue() : 0;
                long r = rating.advanceExact(doc) ? rating.longValue() : ProductDocuments.MISSING;
                total.add(p, s, r);
                priceBuckets[bucket(p)]++;
                if (category.advanceExact(doc)) {
                    int ord = (int) category.nextOrd();
                    Acc a = perOrd[ord];
                    if (a == null) {
                        a = perOrd[ord] = new Acc();
                    }
                    a.add(p, s, r);
                }
            }

            @Override
            public void finish() throws IOException {
                for (int ord = 0; ord < perOrd.length; ord++) {
                    if (perOrd[ord] != null) {
                        byCategory
                                .computeIfAbsent(category.lookupOrd(ord).utf8ToString(), k -> new Acc())
                                .merge(perOrd[ord]);
                    }
                }
            }
        };
    }

    @Override
    public ScoreMode scoreMode() {
        return ScoreMode.COMPLETE_NO_SCORES;
    }

    static int bucket(long priceCents) {
        int i = java.util.Arrays.binarySearch(PRICE_EDGES, priceCents);
        return i >= 0 ? i : -i - 2;
    }

    StatsCollector merge(StatsCollector o) {
        total.merge(o.total);
        for (int i = 0; i < priceBuckets.length; i++) {
            priceBuckets[i] += o.priceBuckets[i];
        }
        o.byCategory.forEach(
                (k, v) -> byCategory.computeIfAbsent(k, x -> new Acc()).merge(v));
        return this;
    }
}
