package dev.gridserve.product;

import dev.gridserve.schema.FieldDef;
import dev.gridserve.schema.Schemas;
import dev.gridserve.schema.TableSchema;
import dev.gridserve.search.Text;
import dev.gridserve.system.ApiException;
import dev.gridserve.system.ApiException.FieldProblem;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Turns raw query parameters into a {@link ProductQuery}, reporting every bad value at once as a 422. Unknown
 * parameters are ignored (as the original did); known ones with wrong values never are.
 */
@Component
class ProductQueryParser {

    /**
     * A decimal as front ends write one: digits, an optional fraction, at most a two-digit exponent. Checked
     * before any arithmetic, so that a value like 1e-20000000 costs nothing.
     */
    static final java.util.regex.Pattern DECIMAL =
            java.util.regex.Pattern.compile("\\+?[0-9]{1,15}(\\.[0-9]{1,15})?([eE][+-]?[0-9]{1,2})?");
    /** ASCII digits only: Java would also read other scripts' digits as numbers. */
    static final java.util.regex.Pattern WHOLE = java.util.regex.Pattern.compile("[0-9]{1,18}");

    private final QueryProperties limits;
    /** What {@code fields=} may name: the id and every field of the products schema. */
    private final Set<String> projectable;
    /** What {@code facets=} may name: the fields the products schema makes facets. */
    private final Set<String> facetable;

    ProductQueryParser(QueryProperties limits, Schemas schemas) {
        this.limits = limits;
        TableSchema products = schemas.table("products").orElseThrow();
        Set<String> names = new LinkedHashSet<>();
        names.add("_id");
        products.fields().forEach(f -> names.add(f.name()));
        this.projectable = Set.copyOf(names);
        this.facetable = products.fields().stream()
                .filter(FieldDef::facet)
                .map(FieldDef::name)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** Entries a history request may ask for at most. */
    static final int MAX_HISTORY = 1000;

    /** The {@code limit} of a history request: 1..1000, 100 when not given. */
    int historyLimit(Map<String, String[]> params) {
        rejectUnknown(params, Set.of("limit"), Set.of());
        List<FieldProblem> errors = new ArrayList<>();
        int limit = new Params(params, errors).integer("limit", 100, 1, MAX_HISTORY);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return limit;
    }

    /** Parameters a list request (and stats, and an export) may carry; list ones also as {@code name[]}. */
    static final Set<String> LIST_PARAMETERS = Set.of(
            "page",
            "page_size",
            "search",
            "category",
            "brand",
            "tags",
            "min_price",
            "max_price",
            "min_stock",
            "max_stock",
            "min_rating",
            "sort",
            "sort_by",
            "sort_order",
            "cursor",
            "fields",
            "facets");
    /** Extras some HTTP clients add by themselves and that change nothing: jQuery's cache-buster {@code _}. */
    static final Set<String> HARMLESS = Set.of("_");

    ProductQuery parse(Map<String, String[]> params) {
        return parse(params, Set.of());
    }

    /** {@code extra}: parameters the endpoint reads itself besides the list's (an export's format). */
    ProductQuery parse(Map<String, String[]> params, Set<String> extra) {
        rejectUnknown(params, LIST_PARAMETERS, extra);
        List<FieldProblem> errors = new ArrayList<>();
        Params p = new Params(params, errors);
        int page = p.integer("page", 1, 1, Integer.MAX_VALUE);
        int pageSize = p.integer("page_size", limits.defaultPageSize(), 1, ProductQuery.MAX_PAGE_SIZE);
        List<String> terms = terms(p.single("search"), errors);
        Long minPrice = p.price("min_price", RoundingMode.CEILING);
        Long maxPrice = p.price("max_price", RoundingMode.FLOOR);
        if (minPrice != null && maxPrice != null && minPrice > maxPrice) {
            errors.add(new FieldProblem("min_price", "must not be greater than max_price"));
        }
        Integer minStock = p.optionalInt("min_stock");
        Integer maxStock = p.optionalInt("max_stock");
        if (minStock != null && maxStock != null && minStock > maxStock) {
            errors.add(new FieldProblem("min_stock", "must not be greater than max_stock"));
        }
        Double minRating = p.rating("min_rating");
        List<SortSpec> sort = sort(p, terms, errors);
        SortKey sortBy = sort.getFirst().key();
        boolean desc = sort.getFirst().descending();
        Cursor cursor = cursor(p.single("cursor"), sort, errors);
        Set<String> fields = listOf(p.list("fields", true), projectable, "fields", errors);
        Set<String> facets = listOf(p.list("facets", true), facetable, "facets", errors);
        if (cursor == null && errors.isEmpty() && (long) page * pageSize > limits.resultWindow()) {
            throw ApiException.invalid(
                    "page",
                    "page " + page + " with page_size " + pageSize + " reaches past the result window of "
                            + limits.resultWindow() + " rows; use the cursor from next_cursor to page deeper");
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new ProductQuery(
                page,
                pageSize,
                terms,
                folded(p.list("category", false)),
                folded(p.list("brand", false)),
                folded(p.list("tags", true)),
                minPrice,
                maxPrice,
                minStock,
                maxStock,
                minRating,
                sortBy,
                desc,
                sort.subList(1, sort.size()),
                cursor,
                fields.isEmpty() ? null : fields,
                facets);
    }

    /**
     * 422 for parameters outside {@code known} and {@code extra} (and {@link #HARMLESS}), each with the nearest
     * known name.
     */
    static void rejectUnknown(Map<String, String[]> params, Set<String> known, Set<String> extra) {
        List<FieldProblem> unknown = new ArrayList<>();
        for (String name : params.keySet()) {
            String base = name.endsWith("[]") ? name.substring(0, name.length() - 2) : name;
            if (known.contains(base) || extra.contains(base) || HARMLESS.contains(name)) {
                continue;
            }
            String shown = name.length() > 40 ? name.substring(0, 40) + "..." : name;
            Set<String> all = new java.util.HashSet<>(known);
            all.addAll(extra);
            String nearest = Spelling.nearest(base, all);
            unknown.add(new FieldProblem(
                    shown,
                    "is not a parameter of this endpoint"
                            + (nearest == null ? "" : "; did you mean '" + nearest + "'?")));
        }
        if (!unknown.isEmpty()) {
            throw ApiException.unknownParameters(unknown);
        }
    }

    private List<String> terms(String search, List<FieldProblem> errors) {
        if (search == null || search.isBlank()) {
            return List.of();
        }
        if (search.length() > limits.maxSearchLength()) {
            errors.add(new FieldProblem("search", "must be at most " + limits.maxSearchLength() + " characters"));
            return List.of();
        }
        List<String> terms = Text.terms(search);
        for (String t : terms) {
            if (t.length() > Text.MAX_TERM_LENGTH) {
                errors.add(
                        new FieldProblem("search", "each word may be at most " + Text.MAX_TERM_LENGTH + " characters"));
                return List.of();
            }
        }
        return terms;
    }

    /**
     * The sort: {@code sort=price:asc,name:desc} (up to {@link ProductQuery#MAX_SORT_KEYS} keys, ascending unless
     * said otherwise), or the original's {@code sort_by} and {@code sort_order} (descending unless said
     * otherwise) for one key. Never empty.
     */
    private static List<SortSpec> sort(Params p, List<String> terms, List<FieldProblem> errors) {
        String multi = p.single("sort");
        if (multi == null || multi.isBlank()) {
            return List.of(
                    new SortSpec(sortKey(p.single("sort_by"), terms, errors), order(p.single("sort_order"), errors)));
        }
        List<SortSpec> out = new ArrayList<>();
        if (p.single("sort_by") != null || p.single("sort_order") != null) {
            errors.add(new FieldProblem("sort", "use either sort or sort_by and sort_order, not both"));
            return List.of(new SortSpec(SortKey.CREATED_AT, true));
        }
        String[] parts = multi.split(",", -1);
        if (parts.length > ProductQuery.MAX_SORT_KEYS) {
            errors.add(new FieldProblem("sort", "may have at most " + ProductQuery.MAX_SORT_KEYS + " keys"));
            return List.of(new SortSpec(SortKey.CREATED_AT, true));
        }
        for (String part : parts) {
            String[] kd = part.strip().split(":", -1);
            SortKey key = kd.length > 2 ? null : SortKey.fromWire(kd[0].strip()).orElse(null);
            String dir = kd.length == 2 ? kd[1].strip().toLowerCase(java.util.Locale.ROOT) : "asc";
            if (key == null) {
                errors.add(new FieldProblem(
                        "sort",
                        "must list keys as field:asc or field:desc, separated by commas; fields: "
                                + SortKey.allowed()));
            } else if (!dir.equals("asc") && !dir.equals("desc")) {
                errors.add(new FieldProblem("sort", "directions must be asc or desc"));
            } else if (out.stream().anyMatch(s -> s.key() == key)) {
                errors.add(new FieldProblem("sort", "lists " + key.wire() + " twice"));
            } else if (key == SortKey.RELEVANCE && (!out.isEmpty() || terms.isEmpty())) {
                errors.add(new FieldProblem("sort", "relevance needs a search and must come first"));
            } else {
                out.add(new SortSpec(key, dir.equals("desc")));
                continue;
            }
            return List.of(new SortSpec(SortKey.CREATED_AT, true));
        }
        return out;
    }

    private static SortKey sortKey(String raw, List<String> terms, List<FieldProblem> errors) {
        if (raw == null || raw.isBlank()) {
            return SortKey.CREATED_AT;
        }
        SortKey key = SortKey.fromWire(raw.strip()).orElse(null);
        if (key == null) {
            errors.add(new FieldProblem("sort_by", "must be one of " + SortKey.allowed()));
            return SortKey.CREATED_AT;
        }
        if (key == SortKey.RELEVANCE && terms.isEmpty()) {
            errors.add(new FieldProblem("sort_by", "relevance needs a search"));
            return SortKey.CREATED_AT;
        }
        return key;
    }

    private static boolean order(String raw, List<FieldProblem> errors) {
        if (raw == null || raw.isBlank() || raw.strip().equalsIgnoreCase("desc")) {
            return true;
        }
        if (raw.strip().equalsIgnoreCase("asc")) {
            return false;
        }
        errors.add(new FieldProblem("sort_order", "must be asc or desc"));
        return true;
    }

    private static Cursor cursor(String raw, List<SortSpec> sort, List<FieldProblem> errors) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        Cursor c;
        try {
            c = Cursor.decode(raw.strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("The cursor is not valid; use a next_cursor value exactly as returned.");
        }
        if (!c.sort().equals(sort)) {
            String issued = c.sort().size() == 1
                    ? "sort_by=" + c.sortBy().wire() + "&sort_order=" + (c.descending() ? "desc" : "asc")
                    : "sort="
                            + String.join(
                                    ",", c.sort().stream().map(SortSpec::wire).toList());
            errors.add(new FieldProblem("cursor", "was issued for " + issued + "; send the same sort with it"));
            return null;
        }
        return c;
    }

    private static Set<String> listOf(
            List<String> values, Set<String> allowed, String field, List<FieldProblem> errors) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : values) {
            if (!allowed.contains(v)) {
                errors.add(new FieldProblem(
                        field,
                        "'" + v + "' is not one of "
                                + String.join(", ", allowed.stream().sorted().toList())));
            } else {
                out.add(v);
            }
        }
        return out;
    }

    private static Set<String> folded(List<String> values) {
        Set<String> out = new LinkedHashSet<>();
        values.forEach(v -> out.add(Text.fold(v)));
        return out;
    }

    /** Access to raw parameters with the original's spellings: {@code x=a&x=b}, {@code x[]=a}, {@code x=a,b}. */
    private record Params(Map<String, String[]> raw, List<FieldProblem> errors) {
        String single(String name) {
            String[] v = raw.get(name);
            return v == null || v.length == 0 ? null : v[v.length - 1];
        }

        List<String> list(String name, boolean splitCommas) {
            List<String> out = new ArrayList<>();
            for (String key : new String[] {name, name + "[]"}) {
                String[] vs = raw.get(key);
                if (vs == null) {
                    continue;
                }
                for (String v : vs) {
                    for (String part : splitCommas ? v.split(",") : new String[] {v}) {
                        if (!part.isBlank()) {
                            out.add(part.strip());
                        }
                    }
                }
            }
            return out;
        }

        int integer(String name, int dflt, int min, int max) {
            String v = single(name);
            if (v == null || v.isBlank()) {
                return dflt;
            }
            if (!WHOLE.matcher(v.strip()).matches()) {
                errors.add(new FieldProblem(name, "must be a whole number written with the digits 0-9"));
                return dflt;
            }
            try {
                long n = Long.parseLong(v.strip());
                if (n < min || n > max) {
                    errors.add(new FieldProblem(name, "must be between " + min + " and " + max));
                    return dflt;
                }
                return (int) n;
            } catch (NumberFormatException e) {
                errors.add(new FieldProblem(name, "must be a whole number"));
                return dflt;
            }
        }

        Integer optionalInt(String name) {
            String v = single(name);
            if (v == null || v.isBlank()) {
                return null;
            }
            return integer(name, 0, 0, Integer.MAX_VALUE);
        }

        Long price(String name, RoundingMode toCents) {
            String v = single(name);
            if (v == null || v.isBlank()) {
                return null;
            }
            if (!DECIMAL.matcher(v.strip()).matches()) {
                errors.add(new FieldProblem(name, "must be a number such as 19.99"));
                return null;
            }
            try {
                BigDecimal d = new BigDecimal(v.strip());
                if (d.signum() < 0) {
                    errors.add(new FieldProblem(name, "must be 0 or more"));
                    return null;
                }
                if (d.compareTo(BigDecimal.valueOf(1_000_000_000L)) > 0) {
                    d = BigDecimal.valueOf(1_000_000_000L);
                }
                return d.setScale(2, toCents).movePointRight(2).longValueExact();
            } catch (NumberFormatException | ArithmeticException e) {
                errors.add(new FieldProblem(name, "must be a number"));
                return null;
            }
        }

        Double rating(String name) {
            String v = single(name);
            if (v == null || v.isBlank()) {
                return null;
            }
            if (!DECIMAL.matcher(v.strip()).matches()) {
                errors.add(new FieldProblem(name, "must be a number such as 4.5"));
                return null;
            }
            try {
                double d = Double.parseDouble(v.strip());
                if (!(d >= 0 && d <= 5)) {
                    errors.add(new FieldProblem(name, "must be between 0 and 5"));
                    return null;
                }
                return d;
            } catch (NumberFormatException e) {
                errors.add(new FieldProblem(name, "must be a number"));
                return null;
            }
        }
    }
}
