package dev.gridserve.product;

import java.math.BigDecimal;
import java.util.List;

/** Summary over a filtered set; averages are null when nothing was there to average. */
public record ProductStats(
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
    public record PriceBucket(BigDecimal min, BigDecimal max, long count) {}

    public record CategoryStats(
            String category,
            long count,
            BigDecimal avgPrice,
            long totalStock,
            BigDecimal avgRating,
            BigDecimal inventoryValue) {}
}
