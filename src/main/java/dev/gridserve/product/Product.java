package dev.gridserve.product;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A product as the generator makes it (the default seed), before it becomes a row of the products table. Price
 * is held in cents so that it is exact. {@code version} is the change-log sequence of the write that produced it.
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

    /** Field values by the products schema's names, typed as the schema declares them. */
    public Object value(String field) {
        return switch (field) {
            case "name" -> name;
            case "description" -> description;
            case "price" -> BigDecimal.valueOf(priceCents, 2);
            case "category" -> category;
            case "stock" -> stock;
            case "sku" -> sku;
            case "brand" -> brand;
            case "rating" -> rating;
            case "reviews_count" -> reviewsCount;
            case "tags" -> tags;
            case "created_at" -> createdAt;
            case "updated_at" -> updatedAt;
            default -> throw new IllegalArgumentException("Products have no field " + field);
        };
    }
}
