package dev.gridserve.product;

import java.time.Instant;
import java.util.List;

/**
 * A product as stored. Price is held in cents so that it is exact everywhere (database NUMERIC(9,2), index
 * longs, JSON with two decimals). {@code version} is the change-log sequence of the write that produced it.
 */
public record Product(
        long id,
        String name,
        String description,
        long priceCents,
        String category,
        int stock,
        String sku,
        String brand,
        Double rating,
        Integer reviewsCount,
        List<String> tags,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    public Product {
        tags = List.copyOf(tags);
    }
}
