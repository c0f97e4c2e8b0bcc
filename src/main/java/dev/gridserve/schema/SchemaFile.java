package dev.gridserve.schema;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a table schema file (YAML) and checks all of it before anything is built from it: a schema that is
 * accepted here can be stored, indexed and served. Every problem is reported at once, each naming the field
 * and saying what would be allowed, so a schema can be fixed in one go.
 *
 * <pre>
 * table: orders
 * fields:
 *   customer: {type: text, required: true, searchable: true, sortable: true, max_length: 200}
 *   status:   {type: keyword, required: true, filterable: true, facet: true, allowed: [new, paid, shipped]}
 *   total:    {type: decimal, scale: 2, required: true, filterable: true, sortable: true, stats: true, min: 0}
 * </pre>
 */
public final class SchemaFile {
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    static final int MAX_FIELDS = 100;
    static final int MAX_LENGTH = 10_000;
    static final int MAX_ITEMS = 100;
    static final int MAX_SCALE = 6;
    static final int DEFAULT_TEXT_LENGTH = 1000;
    static final int DEFAULT_KEYWORD_LENGTH = 100;
    static final int DEFAULT_ITEM_LENGTH = 50;
    static final int DEFAULT_ITEMS = 20;
    static final List<String> SYSTEM_TIMESTAMPS = List.of("created_at", "updated_at");

    private static final Set<String> TOP = Set.of("table", "description", "row_name", "fields");
    private static final Set<String> FIELD_KEYS = Set.of(
            "type",
            "description",
            "required",
            "searchable",
            "filterable",
            "sortable",
            "facet",
            "stats",
            "unique",
            "lowercase",
            "scale",
            "max_length",
            "min",
            "max",
            "allowed",
            "max_items");
    /** Names the API or the storage already use: a field called so could not be told apart. */
    private static final Set<String> RESERVED_FIELDS = Set.of(
            "id",
            "version",
            "page",
            "page_size",
            "sort",
            "sort_by",
            "sort_order",
            "search",
            "fields",
            "facets",
            "cursor",
            "format",
            "limit",
            "offset",
            "table",
            "select",
            "from",
            "where",
            "order",
            "group",
            "user",
            "all",
            "and",
            "or",
            "not",
            "null",
            "true",
            "false",
            "default",
            "check",
            "primary",
            "references",
            "constraint");
    /** SQL keywords that cannot name a table or a column without quoting. */
    private static final Set<String> SQL_RESERVED = Set.of(
            "analyse",
            "analyze",
            "any",
            "array",
            "as",
            "asc",
            "both",
            "case",
            "cast",
            "collate",
            "column",
            "create",
            "current_date",
            "current_time",
            "current_timestamp",
            "current_user",
            "desc",
            "distinct",
            "do",
            "else",
            "end",
            "except",
            "fetch",
            "for",
            "foreign",
            "grant",
            "having",
            "in",
            "intersect",
            "into",
            "is",
            "join",
            "key",
            "leading",
            "like",
            "only",
            "returning",
            "row",
            "rows",
            "some",
            "then",
            "to",
            "trailing",
            "union",
            "unique",
            "using",
            "value",
            "values",
            "when",
            "window",
            "with");
    /** Paths under /api/v1 that are not tables. */
    private static final Set<String> RESERVED_TABLES = Set.of(
            "tables", "admin", "auth", "jobs", "health", "docs", "graphql", "stats", "changes", "schema", "meta");

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private SchemaFile() {}

    /** Parses and checks {@code text}, read from {@code source} (a file name, for messages). */
    public static TableSchema parse(String source, String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JacksonException e) {
            String line = e.getLocation() == null || e.getLocation().getLineNr() < 1
                    ? ""
                    : " at line " + e.getLocation().getLineNr();
            throw new SchemaException(source, List.of("it is not valid YAML" + line + ": " + e.getOriginalMessage()));
        }
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new SchemaException(source, List.of("it must be a mapping with 'table' and 'fields'"));
        }
        for (String key : root.propertyNames()) {
            if (!TOP.contains(key)) {
                problems.add("'" + key + "' is not a schema setting; use table, description, row_name and fields");
            }
        }
        String table = root.path("table").isString() ? root.path("table").stringValue() : null;
        if (table == null) {
            problems.add("'table' must name the table, for example 'table: orders'");
        } else if (!NAME.matcher(table).matches()) {
            problems.add("the table name '" + table + "' must start with a lower-case letter and have at most 40"
                    + " lower-case letters, digits and underscores");
        } else if (RESERVED_TABLES.contains(table) || RESERVED_FIELDS.contains(table) || SQL_RESERVED.contains(table)) {
            problems.add("the table name '" + table + "' is reserved; choose another");
        }
        String description =
                root.path("description").isString() ? root.path("description").stringValue() : "";
        String rowName = null;
        if (root.has("row_name")) {
            JsonNode r = root.path("row_name");
            if (!r.isString() || !r.stringValue().matches("[a-z][a-z ]{0,39}")) {
                problems.add("'row_name' is what messages call one row, in lower-case letters, for example"
                        + " 'row_name: order'");
            } else {
                rowName = r.stringValue();
            }
        }
        JsonNode fieldNodes = root.path("fields");
        List<FieldDef> fields = new ArrayList<>();
        if (!fieldNodes.isObject() || fieldNodes.isEmpty()) {
            problems.add("'fields' must map each field's name to its settings, and list at least one field");
        } else if (fieldNodes.size() > MAX_FIELDS) {
            problems.add("a table may have at most " + MAX_FIELDS + " fields; this one has " + fieldNodes.size());
        } else {
            for (Map.Entry<String, JsonNode> e : fieldNodes.properties()) {
                FieldDef f = field(e.getKey(), e.getValue(), problems);
                if (f != null) {
                    fields.add(f);
                }
            }
        }
        for (String ts : SYSTEM_TIMESTAMPS) {
            if (fields.stream().noneMatch(f -> f.name().equals(ts)) && !fieldNodes.has(ts)) {
                fields.add(new FieldDef(
                        ts,
                        FieldType.TIMESTAMP,
                        0,
                        false,
                        false,
                        false,
                        true,
                        false,
                        false,
                        false,
                        false,
                        true,
                        new Limits(null, null, null, null, null)));
            }
        }
        for (FieldDef f : fields) {
            if (f.unique() && fieldNodes.has(f.uniqueKeyColumn())) {
                problems.add("field '" + f.uniqueKeyColumn() + "': the name is taken by the case-insensitive key of"
                        + " the unique field '" + f.name() + "'; rename it");
            }
        }
        if (!problems.isEmpty()) {
            throw new SchemaException(source, problems);
        }
        return new TableSchema(table, description, rowName, fields, source, checksum(table, fields));
    }

    private static FieldDef field(String name, JsonNode node, List<String> problems) {
        String where = "field '" + name + "': ";
        int before = problems.size();
        if (!NAME.matcher(name).matches()) {
            problems.add(where + "a name must start with a lower-case letter and have at most 40 lower-case"
                    + " letters, digits and underscores");
            return null;
        }
        if (RESERVED_FIELDS.contains(name) || SQL_RESERVED.contains(name)) {
            problems.add(where + "the name is reserved (the API or the storage uses it); choose another");
        }
        if (name.startsWith("min_") || name.startsWith("max_")) {
            problems.add(where + "names may not start with min_ or max_: those are the range filters of other fields");
        }
        if (!node.isObject()) {
            problems.add(where + "its settings must be a mapping, for example {type: keyword, filterable: true}");
            return null;
        }
        for (String key : node.propertyNames()) {
            if (!FIELD_KEYS.contains(key)) {
                problems.add(where + "'" + key + "' is not a field setting; use " + String.join(", ", FIELD_KEYS));
            }
        }
        String typeText = node.path("type").isString() ? node.path("type").stringValue() : null;
        FieldType type = typeText == null ? null : FieldType.fromWire(typeText).orElse(null);
        if (type == null) {
            problems.add(where + "'type' must be one of " + FieldType.allowed()
                    + (typeText == null ? "" : "; got '" + typeText + "'"));
            return null;
        }
        boolean system = SYSTEM_TIMESTAMPS.contains(name);
        if (system && type != FieldType.TIMESTAMP) {
            problems.add(where + "every table keeps " + name + " itself, as a timestamp; declare it with type"
                    + " timestamp (to make it sortable or filterable) or leave it out");
        }
        boolean required = flag(node, "required", where, problems);
        boolean searchable = flag(node, "searchable", where, problems);
        boolean filterable = flag(node, "filterable", where, problems);
        boolean sortable = flag(node, "sortable", where, problems);
        boolean facet = flag(node, "facet", where, problems);
        boolean stats = flag(node, "stats", where, problems);
        boolean unique = flag(node, "unique", where, problems);
        if (system && (required || unique || searchable || facet || stats)) {
            problems.add(where + "the service sets " + name + " itself; it may only be sortable or filterable");
        }
        if (searchable && !type.textual()) {
            problems.add(where + "only text, keyword and keyword_list fields can be searchable");
        }
        if (filterable && type == FieldType.TEXT) {
            problems.add(where + "a text field cannot be filterable (make it searchable, or make it a keyword)");
        }
        if (sortable && type == FieldType.KEYWORD_LIST) {
            problems.add(where + "a keyword_list cannot be sortable: a row holds several values");
        }
        if (facet && !type.discrete()) {
            problems.add(where + "only keyword, keyword_list and boolean fields can be facets");
        }
        if (stats && !type.numeric()) {
            problems.add(where + "only integer, long, decimal and double fields can have stats");
        }
        if (unique && type != FieldType.TEXT && type != FieldType.KEYWORD) {
            problems.add(where + "only text and keyword fields can be unique");
        }
        boolean lowercase = flag(node, "lowercase", where, problems);
        if (lowercase && type != FieldType.KEYWORD && type != FieldType.KEYWORD_LIST) {
            problems.add(where + "'lowercase' applies only to keyword and keyword_list fields");
        }
        if (unique && !required) {
            problems.add(where + "a unique field must also be required");
        }
        int scale = 0;
        if (type == FieldType.DECIMAL) {
            JsonNode s = node.path("scale");
            if (!s.isIntegralNumber() || s.intValue() < 0 || s.intValue() > MAX_SCALE) {
                problems.add(where + "a decimal needs 'scale', its number of decimal places, from 0 to " + MAX_SCALE);
            } else {
                scale = s.intValue();
            }
        } else if (node.has("scale")) {
            problems.add(where + "'scale' applies only to decimal fields");
        }
        Integer maxLength = null;
        if (type.textual()) {
            int dflt = type == FieldType.TEXT
                    ? DEFAULT_TEXT_LENGTH
                    : type == FieldType.KEYWORD ? DEFAULT_KEYWORD_LENGTH : DEFAULT_ITEM_LENGTH;
            maxLength = positive(node, "max_length", dflt, MAX_LENGTH, where, problems);
        } else if (node.has("max_length")) {
            problems.add(where + "'max_length' applies only to text, keyword and keyword_list fields");
        }
        Integer maxItems = null;
        if (type == FieldType.KEYWORD_LIST) {
            maxItems = positive(node, "max_items", DEFAULT_ITEMS, MAX_ITEMS, where, problems);
        } else if (node.has("max_items")) {
            problems.add(where + "'max_items' applies only to keyword_list fields");
        }
        BigDecimal min = bound(node, "min", type, scale, where, problems);
        BigDecimal max = bound(node, "max", type, scale, where, problems);
        if (min != null && max != null && min.compareTo(max) > 0) {
            problems.add(where + "'min' (" + min.toPlainString() + ") is above 'max' (" + max.toPlainString() + ")");
        }
        List<String> allowed = new ArrayList<>();
        if (node.has("allowed")) {
            JsonNode a = node.path("allowed");
            if (type != FieldType.KEYWORD && type != FieldType.KEYWORD_LIST) {
                problems.add(where + "'allowed' applies only to keyword and keyword_list fields");
            } else if (!a.isArray() || a.isEmpty()) {
                problems.add(where + "'allowed' must list the values allowed, for example [new, paid, shipped]");
            } else {
                for (JsonNode v : a) {
                    if (!v.isString() || v.stringValue().isBlank()) {
                        problems.add(where + "every 'allowed' value must be a non-blank string");
                    } else if (maxLength != null && v.stringValue().length() > maxLength) {
                        problems.add(where + "the allowed value '" + v.stringValue() + "' is longer than max_length");
                    } else if (lowercase
                            && !v.stringValue().equals(v.stringValue().toLowerCase(Locale.ROOT))) {
                        problems.add(where + "the allowed value '" + v.stringValue() + "' is not in lower case, which"
                                + " every value of a 'lowercase' field is");
                    } else if (allowed.contains(v.stringValue())) {
                        problems.add(where + "'allowed' lists '" + v.stringValue() + "' twice");
                    } else {
                        allowed.add(v.stringValue());
                    }
                }
            }
        }
        if (problems.size() > before) {
            return null;
        }
        return new FieldDef(
                name,
                type,
                scale,
                required,
                searchable,
                filterable,
                sortable,
                facet,
                stats,
                unique,
                lowercase,
                system,
                new Limits(maxLength, min, max, allowed, maxItems));
    }

    private static boolean flag(JsonNode node, String key, String where, List<String> problems) {
        JsonNode v = node.path(key);
        if (v.isMissingNode() || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            problems.add(where + "'" + key + "' must be true or false");
            return false;
        }
        return v.booleanValue();
    }

    private static Integer positive(JsonNode node, String key, int dflt, int max, String where, List<String> problems) {
        JsonNode v = node.path(key);
        if (v.isMissingNode()) {
            return dflt;
        }
        if (!v.isIntegralNumber() || v.longValue() < 1 || v.longValue() > max) {
            problems.add(where + "'" + key + "' must be a whole number from 1 to " + max);
            return dflt;
        }
        return v.intValue();
    }

    private static BigDecimal bound(
            JsonNode node, String key, FieldType type, int scale, String where, List<String> problems) {
        JsonNode v = node.path(key);
        if (v.isMissingNode()) {
            return null;
        }
        if (!type.numeric()) {
            problems.add(where + "'" + key + "' applies only to integer, long, decimal and double fields");
            return null;
        }
        if (!v.isNumber()) {
            problems.add(where + "'" + key + "' must be a number");
            return null;
        }
        BigDecimal b = v.decimalValue();
        BigDecimal limit = type == FieldType.INTEGER
                ? BigDecimal.valueOf(Integer.MAX_VALUE)
                : type == FieldType.LONG ? BigDecimal.valueOf(Long.MAX_VALUE) : new BigDecimal("1e15");
        if (b.abs().compareTo(limit) > 0) {
            problems.add(where + "'" + key + "' is beyond what a " + type.wire() + " holds");
            return null;
        }
        if ((type == FieldType.INTEGER || type == FieldType.LONG)
                && b.stripTrailingZeros().scale() > 0) {
            problems.add(where + "'" + key + "' must be a whole number for a " + type.wire() + " field");
            return null;
        }
        if (type == FieldType.DECIMAL && b.stripTrailingZeros().scale() > scale) {
            problems.add(where + "'" + key + "' has more decimal places than the field's scale (" + scale + ")");
            return null;
        }
        return b;
    }

    /** Identifies what a schema declares, to tell whether it changed since storage was last brought in line. */
    static String checksum(String table, List<FieldDef> fields) {
        StringBuilder sb = new StringBuilder(table);
        for (FieldDef f : fields) {
            Limits l = f.limits();
            sb.append('|')
                    .append(f.name())
                    .append(':')
                    .append(f.type().wire())
                    .append(':')
                    .append(f.scale())
                    .append(':')
                    .append(f.required() ? 'r' : '-')
                    .append(f.searchable() ? 's' : '-')
                    .append(f.filterable() ? 'f' : '-')
                    .append(f.sortable() ? 'o' : '-')
                    .append(f.facet() ? 'a' : '-')
                    .append(f.stats() ? 't' : '-')
                    .append(f.unique() ? 'u' : '-')
                    .append(':')
                    .append(l.maxLength())
                    .append(':')
                    .append(
                            l.min() == null
                                    ? null
                                    : l.min().stripTrailingZeros().toPlainString())
                    .append(':')
                    .append(
                            l.max() == null
                                    ? null
                                    : l.max().stripTrailingZeros().toPlainString())
                    .append(':')
                    .append(l.maxItems())
                    .append(':')
                    .append(String.join(",", l.allowed()));
        }
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
