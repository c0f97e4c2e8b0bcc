package dev.gridserve.tables;

import dev.gridserve.schema.FieldDef;
import dev.gridserve.schema.FieldType;
import dev.gridserve.schema.TableSchema;
import dev.gridserve.search.Cursor;
import dev.gridserve.search.Order;
import dev.gridserve.search.TableQuery;
import dev.gridserve.search.Text;
import dev.gridserve.system.ApiException;
import dev.gridserve.system.ApiException.FieldProblem;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.lucene.util.NumericUtils;

/**
 * The request grammar of every table, from its schema: {@code search}, {@code {field}=} any-of for keyword and
 * boolean filters, {@code min_{field}}/{@code max_{field}} for number and time filters, {@code sort_by} and
 * {@code sort_order} or {@code sort=a:asc,b:desc}, page numbers or {@code cursor}, {@code fields=} and
 * {@code facets=}. Every bad value is reported at once as a 422; unknown parameters too, with the nearest name.
 */
public final class QueryParser {
    /**
     * A decimal as front ends write one: digits, an optional fraction, at most a two-digit exponent. Checked before
     * any arithmetic, so that a value like 1e-20000000 costs nothing.
     */
    static final Pattern DECIMAL = Pattern.compile("[+-]?[0-9]{1,15}(\\.[0-9]{1,15})?([eE][+-]?[0-9]{1,2})?");
    /** ASCII digits only: Java would also read other scripts' digits as numbers. */
    static final Pattern WHOLE = Pattern.compile("-?[0-9]{1,18}");
    /** Extras some HTTP clients add by themselves and that change nothing: jQuery's cache-buster {@code _}. */
    static final Set<String> HARMLESS = Set.of("_");
    /** The default sort: newest first, which is also the index order. */
    static final Order DEFAULT_SORT = new Order("created_at", true);

    private final TableSchema schema;
    private final QueryProperties limits;
    private final Set<String> known;
    private final Set<String> projectable;
    private final List<String> facetable;
    private final List<String> sortable;
    private final boolean searchable;
    /** Parameter to the field it filters, and whether it is the lower bound of a range (or null: any-of). */
    private final Map<String, Filter> filters = new LinkedHashMap<>();

    private record Filter(FieldDef field, Boolean lower) {}

    public QueryParser(TableSchema schema, QueryProperties limits) {
        this.schema = schema;
        this.limits = limits;
        this.searchable = schema.fields().stream()
                .anyMatch(f -> f.searchable() && f.type().textual());
        Set<String> names = new LinkedHashSet<>(List.of("_id"));
        schema.fields().forEach(f -> names.add(f.name()));
        this.projectable = Set.copyOf(names);
        this.facetable = schema.fields().stream()
                .filter(FieldDef::facet)
                .map(FieldDef::name)
                .toList();
        List<String> sorts = new ArrayList<>(schema.fields().stream()
                .filter(FieldDef::sortable)
                .map(FieldDef::name)
                .toList());
        if (searchable) {
            sorts.add("relevance");
        }
        this.sortable = List.copyOf(sorts);
        for (FieldDef f : schema.fields()) {
            if (!f.filterable()) {
                continue;
            }
            if (f.type().discrete()) {
                filters.put(f.name(), new Filter(f, null));
            } else if (f.type().numeric() || f.type() == FieldType.TIMESTAMP) {
                filters.put("min_" + f.name(), new Filter(f, true));
                filters.put("max_" + f.name(), new Filter(f, false));
            }
        }
        Set<String> k =
                new HashSet<>(List.of("page", "page_size", "sort", "sort_by", "sort_order", "cursor", "fields"));
        if (searchable) {
            k.add("search");
        }
        if (!facetable.isEmpty()) {
            k.add("facets");
        }
        k.addAll(filters.keySet());
        this.known = Set.copyOf(k);
    }

    public TableSchema schema() {
        return schema;
    }

    /** Every parameter a list request may carry (list ones also as {@code name[]}). */
    public Set<String> parameters() {
        return known;
    }

    /** The filter parameters, in schema order. */
    public List<String> filterParameters() {
        return List.copyOf(filters.keySet());
    }

    /** The field a filter parameter of {@link #filterParameters} filters. */
    public FieldDef filterField(String parameter) {
        return filters.get(parameter).field();
    }

    /** The fields {@code sort_by} may name, {@code relevance} last when the table can be searched. */
    public List<String> sortable() {
        return sortable;
    }

    public List<String> facetable() {
        return facetable;
    }

    public ListRequest parse(Map<String, String[]> params) {
        return parse(params, Set.of());
    }

    /** {@code extra}: parameters the endpoint reads itself besides the list's (an export's format). */
    public ListRequest parse(Map<String, String[]> params, Set<String> extra) {
        rejectUnknown(params, known, extra);
        List<FieldProblem> errors = new ArrayList<>();
        Params p = new Params(params, errors);
        int page = p.integer("page", 1, 1, Integer.MAX_VALUE);
        int pageSize = p.integer("page_size", limits.defaultPageSize(), 1, TableQuery.MAX_PAGE_SIZE);
        List<String> terms = searchable ? terms(p.single("search"), errors) : List.of();
        Map<String, Set<String>> anyOf = new LinkedHashMap<>();
        Map<String, Long[]> bounds = new LinkedHashMap<>();
        filters.forEach((param, filter) -> {
            FieldDef f = filter.field();
            if (filter.lower() == null) {
                Set<String> keys = keys(f, p.list(param, f.type() == FieldType.KEYWORD_LIST), errors);
                if (!keys.isEmpty()) {
                    anyOf.put(f.name(), keys);
                }
                return;
            }
            Long v = bound(f, param, p.single(param), filter.lower(), errors);
            if (v != null) {
                bounds.computeIfAbsent(f.name(), n -> new Long[2])[filter.lower() ? 0 : 1] = v;
            }
        });
        Map<String, TableQuery.Range> ranges = new LinkedHashMap<>();
        bounds.forEach((field, b) -> {
            if (b[0] != null && b[1] != null && b[0] > b[1]) {
                errors.add(new FieldProblem("min_" + field, "must not be greater than max_" + field));
            } else {
                ranges.put(field, new TableQuery.Range(b[0], b[1]));
            }
        });
        List<Order> sort = sort(p, terms, errors);
        Cursor cursor = cursor(p.single("cursor"), sort, errors);
        Set<String> fields = listOf(p.list("fields", true), projectable, "fields", errors);
        Set<String> facets = listOf(p.list("facets", true), Set.copyOf(facetable), "facets", errors);
        if (cursor == null && errors.isEmpty() && (long) page * pageSize > limits.resultWindow()) {
            throw ApiException.invalid(
                    "page",
                    "page " + page + " with page_size " + pageSize + " reaches past the result window of "
                            + limits.resultWindow() + " rows; use the cursor from next_cursor to page deeper");
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        // facets in schema order, so the response lists them the same way whatever order they were asked in
        List<String> orderedFacets = facetable.stream().filter(facets::contains).toList();
        Map<String, List<String>> source = new TreeMap<>();
        params.forEach((k, v) -> source.put(
                k,
                v == null
                        ? List.of()
                        : Arrays.stream(v).filter(Objects::nonNull).toList()));
        return new ListRequest(
                new TableQuery(page, pageSize, terms, anyOf, ranges, sort, cursor, orderedFacets),
                fields.isEmpty() ? null : fields,
                source);
    }

    /**
     * 422 for parameters outside {@code known} and {@code extra} (and {@link #HARMLESS}), each with the nearest
     * known name.
     */
    public static void rejectUnknown(Map<String, String[]> params, Set<String> known, Set<String> extra) {
        List<FieldProblem> unknown = new ArrayList<>();
        for (String name : params.keySet()) {
            String base = name.endsWith("[]") ? name.substring(0, name.length() - 2) : name;
            if (known.contains(base) || extra.contains(base) || HARMLESS.contains(name)) {
                continue;
            }
            String shown = name.length() > 40 ? name.substring(0, 40) + "..." : name;
            Set<String> all = new HashSet<>(known);
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

    /** Folded keys of an any-of filter; a boolean's must be true or false. */
    private static Set<String> keys(FieldDef f, List<String> values, List<FieldProblem> errors) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : values) {
            String key = Text.fold(v);
            if (f.type() == FieldType.BOOLEAN && !key.equals("true") && !key.equals("false")) {
                errors.add(new FieldProblem(f.name(), "must be true or false"));
                continue;
            }
            if (!f.limits().allowed().isEmpty()
                    && f.limits().allowed().stream().noneMatch(a -> Text.fold(a).equals(key))) {
                errors.add(new FieldProblem(
                        f.name(),
                        "must be one of " + String.join(", ", f.limits().allowed())));
                continue;
            }
            out.add(key);
        }
        return out;
    }

    /**
     * Why a bound is refused, or null: a bound must lie within the field's declared limits, widened to take 0
     * (so {@code min_price=0} still means "any price"); a bound outside them is a mistake, not a filter.
     */
    private static String outside(FieldDef f, BigDecimal v) {
        BigDecimal lo = f.limits().min() == null ? null : f.limits().min().min(BigDecimal.ZERO);
        BigDecimal hi = f.limits().max();
        if ((lo == null || v.compareTo(lo) >= 0) && (hi == null || v.compareTo(hi) <= 0)) {
            return null;
        }
        if (hi == null) {
            return "must be " + lo.toPlainString() + " or more";
        }
        return lo == null
                ? "must be at most " + hi.toPlainString()
                : "must be between " + lo.toPlainString() + " and " + hi.toPlainString();
    }

    /** One range bound in the field's held encoding; rounded inward, so the bound never admits a value beyond it. */
    private static Long bound(FieldDef f, String param, String raw, boolean lower, List<FieldProblem> errors) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String v = raw.strip();
        try {
            switch (f.type()) {
                case INTEGER, LONG -> {
                    if (!WHOLE.matcher(v).matches()) {
                        errors.add(new FieldProblem(param, "must be a whole number written with the digits 0-9"));
                        return null;
                    }
                    long n = Long.parseLong(v);
                    long max = f.type() == FieldType.INTEGER ? Integer.MAX_VALUE : Long.MAX_VALUE;
                    long min = f.type() == FieldType.INTEGER ? Integer.MIN_VALUE : Long.MIN_VALUE + 1;
                    String why = n > max || n < min
                            ? "must be between " + min + " and " + max
                            : outside(f, BigDecimal.valueOf(n));
                    if (why != null) {
                        errors.add(new FieldProblem(param, why));
                        return null;
                    }
                    return n;
                }
                case DECIMAL, DOUBLE -> {
                    String example = f.type() == FieldType.DECIMAL ? "19.99" : "4.5";
                    if (!DECIMAL.matcher(v).matches()) {
                        errors.add(new FieldProblem(param, "must be a number such as " + example));
                        return null;
                    }
                    BigDecimal d = new BigDecimal(v);
                    String why = outside(f, d);
                    if (why != null) {
                        errors.add(new FieldProblem(param, why));
                        return null;
                    }
                    if (f.type() == FieldType.DOUBLE) {
                        return NumericUtils.doubleToSortableLong(d.doubleValue());
                    }
                    // beyond what the field can hold: clamp, so the filter still means "everything up to here"
                    BigDecimal limit = BigDecimal.valueOf(Long.MAX_VALUE / 10).movePointLeft(f.scale());
                    d = d.max(limit.negate()).min(limit);
                    return d.setScale(f.scale(), lower ? RoundingMode.CEILING : RoundingMode.FLOOR)
                            .unscaledValue()
                            .longValueExact();
                }
                case TIMESTAMP -> {
                    return time(v, lower);
                }
                default -> throw new IllegalStateException(f.type() + " has no range filter");
            }
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            errors.add(new FieldProblem(
                    param,
                    f.type() == FieldType.TIMESTAMP
                            ? "must be a time such as 2026-01-31T12:00:00Z, or a date such as 2026-01-31"
                            : "must be a number"));
            return null;
        }
    }

    /** An ISO instant, or a whole UTC day (from its start for a lower bound, to its end for an upper one). */
    private static long time(String v, boolean lower) {
        if (v.length() > 40) {
            throw new DateTimeParseException("too long", v, 0);
        }
        if (v.length() == 10) {
            LocalDate day = LocalDate.parse(v);
            return (lower ? day : day.plusDays(1))
                            .atStartOfDay(ZoneOffset.UTC)
                            .toInstant()
                            .toEpochMilli()
                    - (lower ? 0 : 1);
        }
        return Instant.parse(v).toEpochMilli();
    }

    /**
     * The sort: {@code sort=price:asc,name:desc} (up to {@link TableQuery#MAX_SORT_KEYS} keys, ascending unless
     * said otherwise), or {@code sort_by} and {@code sort_order} (descending unless said otherwise) for one key.
     * Never empty.
     */
    private List<Order> sort(Params p, List<String> terms, List<FieldProblem> errors) {
        String multi = p.single("sort");
        if (multi == null || multi.isBlank()) {
            return List.of(
                    new Order(sortKey(p.single("sort_by"), terms, errors), order(p.single("sort_order"), errors)));
        }
        List<Order> out = new ArrayList<>();
        if (p.single("sort_by") != null || p.single("sort_order") != null) {
            errors.add(new FieldProblem("sort", "use either sort or sort_by and sort_order, not both"));
            return List.of(DEFAULT_SORT);
        }
        String[] parts = multi.split(",", -1);
        if (parts.length > TableQuery.MAX_SORT_KEYS) {
            errors.add(new FieldProblem("sort", "may have at most " + TableQuery.MAX_SORT_KEYS + " keys"));
            return List.of(DEFAULT_SORT);
        }
        for (String part : parts) {
            String[] kd = part.strip().split(":", -1);
            String key = kd.length > 2 || !sortable.contains(kd[0].strip()) ? null : kd[0].strip();
            String dir = kd.length == 2 ? kd[1].strip().toLowerCase(Locale.ROOT) : "asc";
            if (key == null) {
                errors.add(new FieldProblem(
                        "sort",
                        "must list keys as field:asc or field:desc, separated by commas; fields: "
                                + String.join(", ", sortable)));
            } else if (!dir.equals("asc") && !dir.equals("desc")) {
                errors.add(new FieldProblem("sort", "directions must be asc or desc"));
            } else if (out.stream().anyMatch(s -> s.field().equals(key))) {
                errors.add(new FieldProblem("sort", "lists " + key + " twice"));
            } else if (key.equals("relevance") && (!out.isEmpty() || terms.isEmpty())) {
                errors.add(new FieldProblem("sort", "relevance needs a search and must come first"));
            } else {
                out.add(new Order(key, dir.equals("desc")));
                continue;
            }
            return List.of(DEFAULT_SORT);
        }
        return out;
    }

    private String sortKey(String raw, List<String> terms, List<FieldProblem> errors) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT_SORT.field();
        }
        String key = raw.strip();
        if (!sortable.contains(key)) {
            errors.add(new FieldProblem("sort_by", "must be one of " + String.join(", ", sortable)));
            return DEFAULT_SORT.field();
        }
        if (key.equals("relevance") && terms.isEmpty()) {
            errors.add(new FieldProblem("sort_by", "relevance needs a search"));
            return DEFAULT_SORT.field();
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

    private static Cursor cursor(String raw, List<Order> sort, List<FieldProblem> errors) {
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
            Order first = c.sort().getFirst();
            String issued = c.sort().size() == 1
                    ? "sort_by=" + first.field() + "&sort_order=" + (first.descending() ? "desc" : "asc")
                    : "sort="
                            + String.join(
                                    ",", c.sort().stream().map(Order::wire).toList());
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

    /** Entries a history request may ask for at most. */
    public static final int MAX_HISTORY = 1000;

    /** The {@code limit} of a history request: 1..1000, 100 when not given. */
    public static int historyLimit(Map<String, String[]> params) {
        rejectUnknown(params, Set.of("limit"), Set.of());
        List<FieldProblem> errors = new ArrayList<>();
        int limit = new Params(params, errors).integer("limit", 100, 1, MAX_HISTORY);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return limit;
    }

    /** Access to raw parameters in every spelling front ends use: {@code x=a&x=b}, {@code x[]=a}, {@code x=a,b}. */
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
            if (!v.strip().matches("[0-9]{1,18}")) {
                errors.add(new FieldProblem(name, "must be a whole number written with the digits 0-9"));
                return dflt;
            }
            long n = Long.parseLong(v.strip());
            if (n < min || n > max) {
                errors.add(new FieldProblem(name, "must be between " + min + " and " + max));
                return dflt;
            }
            return (int) n;
        }
    }
}
