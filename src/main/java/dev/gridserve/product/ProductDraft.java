package dev.gridserve.product;

import dev.gridserve.system.ApiException;
import dev.gridserve.system.ApiException.FieldProblem;
import dev.gridserve.tables.Texts;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A validated create or partial-update body. Fields absent from the body are null here and stay unchanged on
 * update; optional fields (brand, rating, reviews_count) can be cleared on update with an explicit null.
 */
record ProductDraft(
        String name,
        String description,
        Long priceCents,
        String category,
        Integer stock,
        String sku,
        Field<String> brand,
        Field<Double> rating,
        Field<Integer> reviewsCount,
        List<String> tags) {

    /** Presence-aware optional value: absent, explicitly null, or a value. */
    record Field<T>(boolean present, T value) {
        static <T> Field<T> absent() {
            return new Field<>(false, null);
        }
    }

    static final Set<String> KNOWN = Set.of(
            "name", "description", "price", "category", "stock", "sku", "brand", "rating", "reviews_count", "tags");
    private static final Set<String> READ_ONLY = Set.of("_id", "id", "created_at", "updated_at");
    static final int MAX_TAGS = 20;
    /** Numbers with a decimal exponent beyond this are out of range for every field. */
    static final int MAX_SCALE = 64;

    static ProductDraft parse(JsonNode body, boolean partial) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("The request body must be a JSON object.");
        }
        List<FieldProblem> errors = new ArrayList<>();
        for (String key : body.propertyNames()) {
            if (!KNOWN.contains(key) && !READ_ONLY.contains(key)) {
                errors.add(new FieldProblem(key, "is not a product field"));
            }
        }
        Parser p = new Parser(body, partial, errors);
        ProductDraft d = new ProductDraft(
                p.text("name", 200, true),
                p.text("description", 2000, true),
                p.price(),
                p.text("category", 100, true),
                p.integer("stock", true),
                p.text("sku", 50, true),
                p.optional("brand", () -> p.text("brand", 100, false)),
                p.optional("rating", p::rating),
                p.optional("reviews_count", () -> p.integer("reviews_count", false)),
                p.tags());
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return d;
    }

    Product create(long id, Instant now, long version) {
        return new Product(
                id,
                name,
                description,
                priceCents,
                category,
                stock,
                sku,
                brand.value(),
                rating.value(),
                reviewsCount.value(),
                tags == null ? List.of() : tags,
                now,
                now,
                version);
    }

    Product applyTo(Product p, Instant now, long version) {
        return new Product(
                p.id(),
                name != null ? name : p.name(),
                description != null ? description : p.description(),
                priceCents != null ? priceCents : p.priceCents(),
                category != null ? category : p.category(),
                stock != null ? stock : p.stock(),
                sku != null ? sku : p.sku(),
                brand.present() ? brand.value() : p.brand(),
                rating.present() ? rating.value() : p.rating(),
                reviewsCount.present() ? reviewsCount.value() : p.reviewsCount(),
                tags != null ? tags : p.tags(),
                p.createdAt(),
                now,
                version);
    }

    private static final String NOT_STORABLE = "must not contain NUL characters or unpaired surrogates";

    /** PostgreSQL text cannot hold NUL, and a lone surrogate would silently become '?' on the way in. */
    static boolean storable(String s) {
        return Texts.storable(s);
    }

    /** Reads one field at a time, recording a problem instead of throwing. */
    private record Parser(JsonNode body, boolean partial, List<FieldProblem> errors) {
        private JsonNode node(String field, boolean required) {
            JsonNode n = body.get(field);
            if (n == null || (n.isNull() && !required)) {
                if (n == null && required && !partial) {
                    errors.add(new FieldProblem(field, "is required"));
                }
                return null;
            }
            if (n.isNull()) {
                errors.add(new FieldProblem(field, partial ? "cannot be null" : "is required"));
                return null;
            }
            return n;
        }

        <T> Field<T> optional(String field, java.util.function.Supplier<T> read) {
            if (!body.has(field)) {
                return Field.absent();
            }
            return new Field<>(true, body.get(field).isNull() ? null : read.get());
        }

        String text(String field, int max, boolean required) {
            JsonNode n = node(field, required);
            if (n == null) {
                return null;
            }
            if (!n.isString()) {
                errors.add(new FieldProblem(field, "must be a string"));
                return null;
            }
            String s = n.stringValue().strip();
            if (s.isEmpty()) {
                errors.add(new FieldProblem(field, "must not be blank"));
                return null;
            }
            if (!storable(s)) {
                errors.add(new FieldProblem(field, NOT_STORABLE));
                return null;
            }
            if (s.length() > max) {
                errors.add(new FieldProblem(field, "must be at most " + max + " characters"));
                return null;
            }
            if (field.equals("sku") && s.toLowerCase(Locale.ROOT).length() > max) {
                // SKUs are compared (and stored for that) in lower case, which can be longer ('İ' is two chars)
                errors.add(new FieldProblem(field, "must be at most " + max + " characters in lower case"));
                return null;
            }
            return s;
        }

        Long price() {
            JsonNode n = node("price", true);
            if (n == null) {
                return null;
            }
            if (!n.isNumber()) {
                errors.add(new FieldProblem("price", "must be a number"));
                return null;
            }
            BigDecimal v = bounded(n, "price");
            if (v == null) {
                return null;
            }
            if (v.signum() <= 0 || v.compareTo(BigDecimal.valueOf(1_000_000)) > 0) {
                errors.add(new FieldProblem("price", "must be greater than 0 and at most 1000000"));
                return null;
            }
            if (v.stripTrailingZeros().scale() > 2) {
                errors.add(new FieldProblem("price", "must have at most 2 decimal places"));
                return null;
            }
            return v.movePointRight(2).longValueExact();
        }

        Integer integer(String field, boolean required) {
            JsonNode n = node(field, required);
            if (n == null) {
                return null;
            }
            BigDecimal v = n.isNumber() ? bounded(n, field) : null;
            if (v == null) {
                if (!n.isNumber()) {
                    errors.add(new FieldProblem(field, "must be a whole number up to 2147483647"));
                }
                return null;
            }
            if (v.signum() < 0) {
                errors.add(new FieldProblem(field, "must be 0 or more"));
                return null;
            }
            if (v.stripTrailingZeros().scale() > 0 || v.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
                errors.add(new FieldProblem(field, "must be a whole number up to 2147483647"));
                return null;
            }
            return v.intValueExact();
        }

        Double rating() {
            JsonNode n = body.get("rating");
            if (!n.isNumber()) {
                errors.add(new FieldProblem("rating", "must be a number"));
                return null;
            }
            BigDecimal v = bounded(n, "rating");
            if (v == null) {
                return null;
            }
            if (v.signum() < 0 || v.compareTo(BigDecimal.valueOf(5)) > 0) {
                errors.add(new FieldProblem("rating", "must be between 0 and 5"));
                return null;
            }
            return v.doubleValue();
        }

        /**
         * The number as an exact decimal, or null (with a problem noted) when its exponent is so far from zero
         * that no field here could hold it: checked before any arithmetic, which on 1e-20000000 would take
         * seconds.
         */
        BigDecimal bounded(JsonNode n, String field) {
            BigDecimal v = n.decimalValue();
            if (v.scale() > MAX_SCALE || v.scale() < -MAX_SCALE) {
                errors.add(new FieldProblem(field, "is out of range"));
                return null;
            }
            return v;
        }

        List<String> tags() {
            JsonNode n = body.get("tags");
            if (n == null || (n.isNull() && !partial)) {
                return partial ? null : List.of();
            }
            if (!n.isArray()) {
                errors.add(new FieldProblem("tags", "must be a list of strings"));
                return null;
            }
            LinkedHashSet<String> out = new LinkedHashSet<>();
            for (JsonNode t : n) {
                if (!t.isString()) {
                    errors.add(new FieldProblem("tags", "must contain only strings"));
                    return null;
                }
                String tag = t.stringValue().strip().toLowerCase(Locale.ROOT);
                if (tag.isEmpty() || tag.length() > 50) {
                    errors.add(new FieldProblem("tags", "each tag must be 1 to 50 characters"));
                    return null;
                }
                if (!storable(tag)) {
                    errors.add(new FieldProblem("tags", NOT_STORABLE));
                    return null;
                }
                if (tag.indexOf(',') >= 0) {
                    errors.add(new FieldProblem("tags", "a tag may not contain a comma"));
                    return null;
                }
                out.add(tag);
            }
            if (out.size() > MAX_TAGS) {
                errors.add(new FieldProblem("tags", "must have at most " + MAX_TAGS + " tags"));
                return null;
            }
            return List.copyOf(out);
        }
    }
}
