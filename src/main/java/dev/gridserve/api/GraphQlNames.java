package dev.gridserve.api;

import dev.gridserve.schema.FieldDef;
import dev.gridserve.schema.FieldType;
import dev.gridserve.schema.TableSchema;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The GraphQL names of one table, from its schema: {@code products} lists, {@code product(id)} reads one row,
 * {@code productsStats} summarises, {@code createProduct}/{@code updateProduct}/{@code deleteProduct} write, over
 * the types {@code Product}, {@code ProductPage}, {@code ProductFilter} and {@code ProductInput}. Field names and
 * filter names are the REST ones ({@code min_price}), so one vocabulary serves both.
 */
record GraphQlNames(
        String table,
        String list,
        String one,
        String stats,
        String create,
        String update,
        String delete,
        String rowType,
        String pageType,
        String filterType,
        String inputType) {

    /** Types every table shares; a table's own types may not take these names. */
    static final Set<String> SHARED = Set.of(
            "Query", "Mutation", "Long", "Facet", "FacetValue", "Stats", "FieldStats", "StatsGroups", "StatsGroup");

    /** Every table's names; a table whose names another already took gets names from its table name instead. */
    static Map<String, GraphQlNames> of(List<TableSchema> schemas) {
        Map<String, GraphQlNames> out = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>(SHARED);
        for (TableSchema s : schemas) {
            GraphQlNames n = s.rowName() == null ? null : named(s.name(), s.rowName());
            if (n == null || !n.free(taken)) {
                n = named(s.name(), s.name() + " row");
            }
            if (!n.free(taken)) {
                throw new IllegalStateException("The GraphQL names of table " + s.name()
                        + " are taken by another table's; rename one of them.");
            }
            taken.addAll(n.all());
            out.put(s.name(), n);
        }
        return out;
    }

    private static GraphQlNames named(String table, String row) {
        String r = pascal(row);
        String t = camel(table);
        return new GraphQlNames(
                table,
                t,
                camel(row),
                t + "Stats",
                "create" + r,
                "update" + r,
                "delete" + r,
                r,
                r + "Page",
                r + "Filter",
                r + "Input");
    }

    private List<String> all() {
        return List.of(list, one, stats, create, update, delete, rowType, pageType, filterType, inputType);
    }

    private boolean free(Set<String> taken) {
        return all().stream().noneMatch(taken::contains);
    }

    static String pascal(String words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words.split("[ _]+")) {
            if (!w.isEmpty()) {
                sb.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
            }
        }
        return sb.toString();
    }

    static String camel(String words) {
        String p = pascal(words);
        return Character.toLowerCase(p.charAt(0)) + p.substring(1);
    }

    /** The GraphQL type a field's value has in a row. */
    static String outputType(FieldDef f) {
        return switch (f.type()) {
            case TEXT, KEYWORD, TIMESTAMP -> "String";
            case KEYWORD_LIST -> "[String!]";
            case INTEGER -> "Int";
            case LONG -> "Long";
            case DECIMAL, DOUBLE -> "Float";
            case BOOLEAN -> "Boolean";
        };
    }

    /** The GraphQL type of a range filter's bound on a field (numbers as numbers, times as ISO-8601 text). */
    static String boundType(FieldDef f) {
        return f.type() == FieldType.TIMESTAMP ? "String" : outputType(f);
    }
}
