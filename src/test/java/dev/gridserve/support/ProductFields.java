package dev.gridserve.support;

import java.util.List;

/** A product's fields as the API has always sent them, in order: what tests compare schemas and exports with. */
public final class ProductFields {
    /** Every field after {@code _id}. */
    public static final List<String> FIELDS = List.of(
            "name",
            "description",
            "price",
            "category",
            "stock",
            "sku",
            "brand",
            "rating",
            "reviews_count",
            "tags",
            "created_at",
            "updated_at");

    /** {@code _id}, then every field: the columns of an export. */
    public static final List<String> WIRE = java.util.stream.Stream.concat(
                    java.util.stream.Stream.of("_id"), FIELDS.stream())
            .toList();

    private ProductFields() {}
}
