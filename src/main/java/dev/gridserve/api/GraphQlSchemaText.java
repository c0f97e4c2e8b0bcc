package dev.gridserve.api;

import dev.gridserve.schema.FieldDef;
import dev.gridserve.schema.FieldType;
import dev.gridserve.tables.QueryParser;
import dev.gridserve.tables.Table;
import java.util.List;
import java.util.Map;

/**
 * The GraphQL schema (SDL) of the tables served, written from their schema files at start-up: one row type, page
 * type, filter input and write input per table, and the list, one-row, stats and write fields on Query and
 * Mutation. What a field can do (filter, sort, facet) comes from the same parser the REST API uses.
 */
final class GraphQlSchemaText {
    private GraphQlSchemaText() {}

    static final String SHARED = """
            "A whole number that may exceed 32 bits (ids, counts, long fields)."
            scalar Long

            type Query
            type Mutation

            "One facet field: its values in the rows that match, most frequent first."
            type Facet {
              field: String!
              values: [FacetValue!]!
            }

            type FacetValue {
              value: String!
              count: Long!
            }

            "How many rows match, and count/sum/avg/min/max of every stats field; per value of the first facet field."
            type Stats {
              total: Long!
              fields: [FieldStats!]!
              by: StatsGroups
            }

            type FieldStats {
              field: String!
              count: Long!
              sum: Float
              avg: Float
              min: Float
              max: Float
            }

            type StatsGroups {
              field: String!
              groups: [StatsGroup!]!
            }

            type StatsGroup {
              value: String!
              count: Long!
              fields: [FieldStats!]!
            }
            """;

    static String write(List<Table> tables, Map<String, GraphQlNames> names) {
        StringBuilder sb = new StringBuilder(SHARED);
        for (Table t : tables) {
            table(sb, t, names.get(t.name()));
        }
        return sb.toString();
    }

    private static void table(StringBuilder sb, Table t, GraphQlNames n) {
        QueryParser p = t.parser();
        StringBuilder rowFields = new StringBuilder();
        for (FieldDef f : t.schema().fields()) {
            rowFields.append("\n  ").append(f.name()).append(": ").append(GraphQlNames.outputType(f));
        }
        StringBuilder inputFields = new StringBuilder();
        for (FieldDef f : t.schema().writable()) {
            inputFields.append("\n  ").append(f.name()).append(": ").append(GraphQlNames.outputType(f));
        }
        sb.append("""

                %1$stype %2$s {
                  _id: ID!%3$s
                }

                "A page of %4$s: exact total, page numbers, and the cursor of the next page."
                type %5$s {
                  rows: [%2$s!]!
                  total: Long!
                  page: Int!
                  pageSize: Int!
                  totalPages: Long!
                  nextCursor: String
                  facets: [Facet!]
                }

                "What a write sends: the same rules as REST; an update changes only the fields it sends."
                input %6$s {%7$s
                }
                """.formatted(
                        description(t.schema().description()),
                        n.rowType(),
                        rowFields,
                        t.name(),
                        n.pageType(),
                        n.inputType(),
                        inputFields));

        List<String> filters = p.filterParameters();
        if (!filters.isEmpty()) {
            sb.append("\n\"Filters of ")
                    .append(t.name())
                    .append(": any of the values listed for a keyword or boolean field, min_/max_ bounds for numbers"
                            + " and times.\"\ninput ")
                    .append(n.filterType())
                    .append(" {");
            for (String param : filters) {
                FieldDef f = p.filterField(param);
                String type = !f.type().discrete()
                        ? GraphQlNames.boundType(f)
                        : f.type() == FieldType.BOOLEAN ? "[Boolean!]" : "[String!]";
                sb.append("\n  ").append(param).append(": ").append(type);
            }
            sb.append("\n}\n");
        }

        String filterArgs = (p.parameters().contains("search") ? "search: String, " : "")
                + (filters.isEmpty() ? "" : "filter: " + n.filterType() + ", ");
        String statsArgs = filterArgs.isEmpty() ? "" : "(" + filterArgs.substring(0, filterArgs.length() - 2) + ")";
        String facets = p.parameters().contains("facets") ? ", facets: [String!]" : "";
        // root fields are nullable: one failing field of a request leaves the others' answers in place
        sb.append("""
                extend type Query {
                  "List, search, filter, sort and page %1$s (sort as in REST: \\"price:desc,name:asc\\"; page or cursor)."
                  %2$s(%3$ssort: String, page: Int, pageSize: Int, cursor: String%4$s): %5$s
                  "%6$s by _id, or null."
                  %7$s(id: ID!): %8$s
                  %9$s%10$s: Stats
                }

                extend type Mutation {
                  %11$s(input: %12$s!): %8$s
                  %13$s(id: ID!, input: %12$s!): %8$s
                  "True once deleted; an error when there is no such row."
                  %14$s(id: ID!): Boolean
                }
                """.formatted(
                        t.name(),
                        n.list(),
                        filterArgs,
                        facets,
                        n.pageType(),
                        t.schema().aRow(),
                        n.one(),
                        n.rowType(),
                        n.stats(),
                        statsArgs,
                        n.create(),
                        n.inputType(),
                        n.update(),
                        n.delete()));
    }

    private static String description(String d) {
        return d == null || d.isBlank() ? "" : "\"\"\"" + d.replace("\"\"\"", "'''") + "\"\"\"\n";
    }
}
