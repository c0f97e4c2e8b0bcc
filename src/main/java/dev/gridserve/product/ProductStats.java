package dev.gridserve.product;

import dev.gridserve.search.Aggregates;
import dev.gridserve.search.Summary;
import dev.gridserve.tables.SummaryShape;
import dev.gridserve.tables.Tables;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The products summary as the original service answered it: totals, averages and per-category figures over a
 * filtered set, and a price histogram; averages are null when nothing was there to average.
 */
record ProductStats(
        long totalProducts,
        long totalStock,
        BigDecimal avgPrice,
        BigDecimal minPrice,
        BigDecimal maxPrice,
        BigDecimal avgRating,
        BigDecimal inventoryValue,
        long outOfStock,
        List<CategoryStats> categories,
        List<PriceBucket> priceHistogram) {

    /** Products priced from {@code min} (inclusive) to {@code max} (exclusive; null = no upper bound). */
    record PriceBucket(BigDecimal min, BigDecimal max, long count) {}

    record CategoryStats(
            String category,
            long count,
            BigDecimal avgPrice,
            long totalStock,
            BigDecimal avgRating,
            BigDecimal inventoryValue) {}

    /** Lower edges (cents) of the price histogram's buckets; the last bucket is open-ended. */
    static final long[] PRICE_EDGES = {0, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000};

    private static final int PRICE = 0;
    private static final int STOCK = 1;
    private static final int RATING = 2;
    /** What the index aggregates for it: price (cents), stock and rating; price times stock; per category. */
    static final Summary SUMMARY = new Summary(
            List.of("price", "stock", "rating"),
            List.of(new Summary.Pair("price", "stock")),
            "category",
            new Summary.Histogram("price", PRICE_EDGES));

    /** The products summary in place of the generic one. */
    @Component
    static class Shape implements SummaryShape {
        @Override
        public String table() {
            return Tables.PRODUCTS;
        }

        @Override
        public Summary summary() {
            return SUMMARY;
        }

        @Override
        public ProductStats write(Aggregates a) {
            return of(a);
        }
    }

    static ProductStats of(Aggregates a) {
        Aggregates.Acc t = a.total();
        List<CategoryStats> cats = a.groups().entrySet().stream()
                .map(e -> {
                    Aggregates.Acc g = e.getValue();
                    return new CategoryStats(
                            e.getKey(),
                            g.count(),
                            avgCents(g.sum(PRICE), g.count()),
                            g.sum(STOCK).longValueExact(),
                            avg(g.doubleSum(RATING), g.present(RATING)),
                            new BigDecimal(g.product(0), 2));
                })
                .sorted(Comparator.comparingLong(CategoryStats::count)
                        .reversed()
                        .thenComparing(CategoryStats::category))
                .toList();
        return new ProductStats(
                t.count(),
                t.sum(STOCK).longValueExact(),
                avgCents(t.sum(PRICE), t.count()),
                t.count() == 0 ? null : BigDecimal.valueOf(t.min(PRICE), 2),
                t.count() == 0 ? null : BigDecimal.valueOf(t.max(PRICE), 2),
                avg(t.doubleSum(RATING), t.present(RATING)),
                new BigDecimal(t.product(0), 2),
                t.zeros(STOCK),
                cats,
                histogram(a.histogram()));
    }

    private static List<PriceBucket> histogram(long[] counts) {
        List<PriceBucket> out = new ArrayList<>();
        for (int i = 0; i < PRICE_EDGES.length; i++) {
            out.add(new PriceBucket(
                    BigDecimal.valueOf(PRICE_EDGES[i], 2),
                    i + 1 < PRICE_EDGES.length ? BigDecimal.valueOf(PRICE_EDGES[i + 1], 2) : null,
                    counts[i]));
        }
        return out;
    }

    private static BigDecimal avgCents(BigInteger sumCents, long n) {
        return n == 0 ? null : new BigDecimal(sumCents, 2).divide(BigDecimal.valueOf(n), 2, RoundingMode.HALF_UP);
    }

    private static BigDecimal avg(double sum, long n) {
        return n == 0 ? null : BigDecimal.valueOf(sum / n).setScale(2, RoundingMode.HALF_UP);
    }
}
