package dev.gridserve.product;

import dev.gridserve.search.Row;
import java.math.BigDecimal;
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
        long version)
        implements Row {

    public Product {
        tags = List.copyOf(tags);
    }

    @Override
    public String json() {
        return ProductJson.write(this);
    }

    /** Field values by the products schema's names, typed as the schema declares them. */
    @Override
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
