package dev.gridserve.api;

import dev.gridserve.ratelimit.RateLimitFilter;
import dev.gridserve.security.Callers;
import dev.gridserve.security.Role;
import dev.gridserve.system.ApiException;
import dev.gridserve.tables.ListRequest;
import dev.gridserve.tables.Table;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What each table's GraphQL fields do: arguments become the REST request's parameters and go through the same
 * parser (so the same limits and the same 422 sentences), reads go through {@link TableService} and its cache,
 * and writes through the same validation ({@link RowDraft}), unique checks, change log and read-your-writes wait.
 * Writes need the writer role, as they do over REST.
 */
final class GraphQlFetchers {
    private final TableService service;
    private final JsonMapper mapper;
    private final RateLimitFilter rateLimits;

    GraphQlFetchers(TableService service, JsonMapper mapper, RateLimitFilter rateLimits) {
        this.service = service;
        this.mapper = mapper;
        this.rateLimits = rateLimits;
    }

    /** What a REST write must have before it runs: the writer role, and a write left in the caller's budget. */
    private void mayWrite() {
        Callers.require(Role.WRITER, "This mutation");
        rateLimits.chargeWrite();
    }

    DataFetcher<Map<String, Object>> list(Table t) {
        return env -> {
            Map<String, List<String>> params = params(env);
            put(params, "sort", env.getArgument("sort"));
            put(params, "page", env.getArgument("page"));
            put(params, "page_size", env.getArgument("pageSize"));
            put(params, "cursor", env.getArgument("cursor"));
            List<String> facets = env.getArgument("facets");
            if (facets != null) {
                params.put("facets", List.copyOf(facets));
            }
            Map<String, Object> body =
                    read(service.list(t, parse(t, params)).body().plain());
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("rows", body.get(t.name()));
            page.put("total", body.get("total"));
            page.put("page", body.get("page"));
            page.put("pageSize", body.get("page_size"));
            page.put("totalPages", body.get("total_pages"));
            page.put("nextCursor", body.get("next_cursor"));
            if (body.get("facets") instanceof Map<?, ?> facetsByField) {
                List<Map<String, Object>> out = new ArrayList<>();
                facetsByField.forEach((field, values) -> out.add(Map.of("field", field, "values", values)));
                page.put("facets", out);
            }
            return page;
        };
    }

    DataFetcher<Map<String, Object>> one(Table t) {
        return env -> {
            long id = Ids.parse(env.getArgument("id"), t.schema().rowNoun());
            try {
                return read(service.get(t, id).body().plain());
            } catch (ApiException e) {
                if (e.status() == HttpStatus.NOT_FOUND) {
                    return null;
                }
                throw e;
            }
        };
    }

    DataFetcher<Map<String, Object>> stats(Table t) {
        return env -> {
            Map<String, Object> body =
                    read(service.stats(t, parse(t, params(env)), true).body().plain());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("total", body.get("total"));
            out.put("fields", fieldStats(body.get("fields")));
            if (body.get("by") instanceof Map<?, ?> by) {
                List<Map<String, Object>> groups = new ArrayList<>();
                for (Object g : (List<?>) by.get("groups")) {
                    Map<?, ?> group = (Map<?, ?>) g;
                    groups.add(Map.of(
                            "value", group.get("value"),
                            "count", group.get("count"),
                            "fields", fieldStats(group.get("fields"))));
                }
                out.put("by", Map.of("field", by.get("field"), "groups", groups));
            }
            return out;
        };
    }

    DataFetcher<Map<String, Object>> create(Table t) {
        return env -> {
            mayWrite();
            RowDraft draft = RowDraft.parse(t.schema(), input(env), false);
            return read(service.create(t, draft, Callers.actor()));
        };
    }

    DataFetcher<Map<String, Object>> update(Table t) {
        return env -> {
            mayWrite();
            long id = Ids.parse(env.getArgument("id"), t.schema().rowNoun());
            RowDraft draft = RowDraft.parse(t.schema(), input(env), true);
            return read(service.update(t, id, draft, Callers.actor()));
        };
    }

    DataFetcher<Boolean> delete(Table t) {
        return env -> {
            mayWrite();
            service.delete(t, Ids.parse(env.getArgument("id"), t.schema().rowNoun()), Callers.actor());
            return true;
        };
    }

    /** The search and filter arguments as the REST parameters they stand for. */
    private static Map<String, List<String>> params(DataFetchingEnvironment env) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        put(params, "search", env.getArgument("search"));
        Map<String, Object> filter = env.getArgument("filter");
        if (filter != null) {
            filter.forEach((name, value) -> {
                if (value instanceof List<?> any) {
                    params.put(name, any.stream().map(String::valueOf).toList());
                } else if (value != null) {
                    params.put(name, List.of(bound(value)));
                }
            });
        }
        return params;
    }

    /** A number as the REST grammar writes it: 19.99, not 1.999E1. */
    private static String bound(Object value) {
        return value instanceof Double d ? BigDecimal.valueOf(d).toPlainString() : String.valueOf(value);
    }

    private static void put(Map<String, List<String>> params, String name, Object value) {
        if (value != null) {
            params.put(name, List.of(String.valueOf(value)));
        }
    }

    private static ListRequest parse(Table t, Map<String, List<String>> params) {
        Map<String, String[]> raw = new LinkedHashMap<>();
        params.forEach((k, v) -> raw.put(k, v.toArray(String[]::new)));
        return t.parser().parse(raw);
    }

    /** A write's input as the JSON body REST would read; fields sent as null stay null (they clear the field). */
    private ObjectNode input(DataFetchingEnvironment env) {
        Map<String, Object> in = env.getArgument("input");
        ObjectNode node = mapper.createObjectNode();
        in.forEach((k, v) -> node.set(k, mapper.valueToTree(v instanceof Double d ? BigDecimal.valueOf(d) : v)));
        return node;
    }

    private static List<Map<String, Object>> fieldStats(Object byField) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (byField instanceof Map<?, ?> m) {
            m.forEach((field, s) -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("field", field);
                ((Map<?, ?>) s).forEach((k, v) -> row.put(String.valueOf(k), v));
                out.add(row);
            });
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> read(byte[] json) {
        return mapper.readValue(json, Map.class);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> read(String json) {
        return mapper.readValue(json, Map.class);
    }
}
