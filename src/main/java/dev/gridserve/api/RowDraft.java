package dev.gridserve.api;

import dev.gridserve.schema.FieldDef;
import dev.gridserve.schema.FieldType;
import dev.gridserve.schema.TableSchema;
import dev.gridserve.storage.StoredRow;
import dev.gridserve.system.ApiException;
import dev.gridserve.system.ApiException.FieldProblem;
import dev.gridserve.tables.Texts;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A create or update of a row as its request body says, checked against the table's schema in one place: types,
 * required fields, lengths, bounds, allowed values, list sizes. Every problem is reported at once as a 422.
 * {@code values} holds the fields the body sets (for an update, only those; null clears an optional field).
 */
record RowDraft(Map<String, Object> values) {
    /** Numbers with a decimal exponent beyond this are out of range for every field. */
    static final int MAX_SCALE = 64;
    /** What a body may carry besides the writable fields: the id and timestamps as a read returned them. */
    private static final Set<String> READ_ONLY = Set.of("_id", "id");

    static RowDraft parse(TableSchema schema, JsonNode body, boolean partial) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("The request body must be a JSON object.");
        }
        List<FieldProblem> errors = new ArrayList<>();
        for (String key : body.propertyNames()) {
            if (schema.field(key).isEmpty() && !READ_ONLY.contains(key)) {
                errors.add(new FieldProblem(key, "is not a field of " + schema.name()));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (FieldDef f : schema.writable()) {
            JsonNode n = body.get(f.name());
            if (n == null) {
                if (!partial && f.required()) {
                    errors.add(new FieldProblem(f.name(), "is required"));
                }
                continue;
            }
            if (n.isNull()) {
                if (f.required()) {
                    errors.add(new FieldProblem(f.name(), partial ? "cannot be null" : "is required"));
                } else {
                    values.put(f.name(), f.type() == FieldType.KEYWORD_LIST ? List.of() : null);
                }
                continue;
            }
            Object v = value(f, n, errors);
            if (v != null) {
                values.put(f.name(), v);
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new RowDraft(values);
    }

    /** A new row: the body's values, the rest absent, both timestamps {@code now}. */
    StoredRow create(TableSchema schema, long id, Instant now, long version) {
        Map<String, Object> v = new LinkedHashMap<>();
        for (FieldDef f : schema.fields()) {
            v.put(f.name(), f.system() ? now : values.getOrDefault(f.name(), empty(f)));
        }
        return new StoredRow(id, v, version);
    }

    /** {@code current} with the body's values; updated_at becomes {@code now}. */
    StoredRow applyTo(TableSchema schema, StoredRow current, Instant now, long version) {
        Map<String, Object> v = new LinkedHashMap<>(current.values());
        v.putAll(values);
        if (schema.field("updated_at").isPresent()) {
            v.put("updated_at", now);
        }
        return new StoredRow(current.id(), v, version);
    }

    private static Object empty(FieldDef f) {
        return f.type() == FieldType.KEYWORD_LIST ? List.of() : null;
    }

    private static Object value(FieldDef f, JsonNode n, List<FieldProblem> errors) {
        String name = f.name();
        return switch (f.type()) {
            case TEXT, KEYWORD -> text(f, n, errors);
            case KEYWORD_LIST -> list(f, n, errors);
            case BOOLEAN -> {
                if (!n.isBoolean()) {
                    errors.add(new FieldProblem(name, "must be true or false"));
                    yield null;
                }
                yield n.booleanValue();
            }
            case TIMESTAMP -> {
                try {
                    if (n.isString() && n.stringValue().length() <= 40) {
                        yield Instant.parse(n.stringValue().strip()).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
                    }
                } catch (DateTimeParseException e) {
                    // below
                }
                errors.add(new FieldProblem(name, "must be a time such as \"2026-01-31T12:00:00Z\""));
                yield null;
            }
            case INTEGER, LONG, DECIMAL, DOUBLE -> number(f, n, errors);
        };
    }

    private static String text(FieldDef f, JsonNode n, List<FieldProblem> errors) {
        if (!n.isString()) {
            errors.add(new FieldProblem(f.name(), "must be a string"));
            return null;
        }
        String s = folded(f, n.stringValue().strip());
        String why = textProblem(f, s);
        if (why != null) {
            errors.add(new FieldProblem(f.name(), why));
            return null;
        }
        return s;
    }

    private static String folded(FieldDef f, String s) {
        return f.lowercase() ? s.toLowerCase(java.util.Locale.ROOT) : s;
    }

    private static String textProblem(FieldDef f, String s) {
        if (s.isEmpty()) {
            return "must not be blank";
        }
        if (!Texts.storable(s)) {
            return "must not contain NUL characters or unpaired surrogates";
        }
        Integer max = f.limits().maxLength();
        if (max != null && s.length() > max) {
            return "must be at most " + max + " characters";
        }
        if (f.unique() && max != null && s.toLowerCase(java.util.Locale.ROOT).length() > max) {
            // compared (and stored for that) in lower case, which can be longer ('İ' is two chars)
            return "must be at most " + max + " characters in lower case";
        }
        if (!f.limits().allowed().isEmpty() && !f.limits().allowed().contains(s)) {
            return "must be one of " + String.join(", ", f.limits().allowed());
        }
        return null;
    }

    private static List<String> list(FieldDef f, JsonNode n, List<FieldProblem> errors) {
        if (!n.isArray()) {
            errors.add(new FieldProblem(f.name(), "must be a list of strings"));
            return null;
        }
        Integer maxItems = f.limits().maxItems();
        if (maxItems != null && n.size() > maxItems) {
            errors.add(new FieldProblem(f.name(), "may have at most " + maxItems + " items"));
            return null;
        }
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (JsonNode item : n) {
            if (!item.isString()) {
                errors.add(new FieldProblem(f.name(), "must contain only strings"));
                return null;
            }
            String s = folded(f, item.stringValue().strip());
            String why = s.contains(",") ? "an item may not contain a comma" : textProblem(f, s);
            if (why != null) {
                errors.add(new FieldProblem(f.name(), why.startsWith("must") ? "each item " + why : why));
                return null;
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    private static Object number(FieldDef f, JsonNode n, List<FieldProblem> errors) {
        String name = f.name();
        if (!n.isNumber()) {
            errors.add(new FieldProblem(name, "must be a number"));
            return null;
        }
        BigDecimal v = n.decimalValue();
        if (v.scale() > MAX_SCALE || v.scale() < -MAX_SCALE) {
            errors.add(new FieldProblem(name, "is out of range"));
            return null;
        }
        BigDecimal min = f.limits().min();
        BigDecimal max = f.limits().max();
        if ((min != null && v.compareTo(min) < 0) || (max != null && v.compareTo(max) > 0)) {
            errors.add(new FieldProblem(
                    name,
                    min != null && max != null
                            ? "must be between " + min.toPlainString() + " and " + max.toPlainString()
                            : min != null
                                    ? "must be " + min.toPlainString() + " or more"
                                    : "must be at most " + max.toPlainString()));
            return null;
        }
        switch (f.type()) {
            case INTEGER, LONG -> {
                long top = f.type() == FieldType.INTEGER ? Integer.MAX_VALUE : Long.MAX_VALUE;
                long bottom = f.type() == FieldType.INTEGER ? Integer.MIN_VALUE : Long.MIN_VALUE + 1;
                if (v.stripTrailingZeros().scale() > 0
                        || v.compareTo(BigDecimal.valueOf(top)) > 0
                        || v.compareTo(BigDecimal.valueOf(bottom)) < 0) {
                    errors.add(new FieldProblem(name, "must be a whole number from " + bottom + " to " + top));
                    return null;
                }
                return f.type() == FieldType.INTEGER ? (Object) v.intValueExact() : (Object) v.longValueExact();
            }
            case DECIMAL -> {
                if (v.stripTrailingZeros().scale() > f.scale()) {
                    errors.add(new FieldProblem(name, "must have at most " + f.scale() + " decimal places"));
                    return null;
                }
                BigDecimal scaled = v.setScale(f.scale(), RoundingMode.UNNECESSARY);
                if (scaled.precision() > 18) {
                    errors.add(new FieldProblem(name, "is out of range"));
                    return null;
                }
                return scaled;
            }
            default -> {
                double d = v.doubleValue();
                if (Double.isInfinite(d)) {
                    errors.add(new FieldProblem(name, "is out of range"));
                    return null;
                }
                return d;
            }
        }
    }
}
