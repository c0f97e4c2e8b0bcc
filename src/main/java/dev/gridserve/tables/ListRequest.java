package dev.gridserve.tables;

import dev.gridserve.search.TableQuery;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A validated list (or stats, or export) request of one table: the index query, the fields the response keeps
 * ({@code fields=}; null for every field), and the parameters it was parsed from (to ask it again later, such as
 * after a restart).
 */
public record ListRequest(TableQuery query, Set<String> fields, Map<String, List<String>> params) {
    public ListRequest {
        fields = fields == null ? null : Set.copyOf(fields);
        params = Map.copyOf(params);
    }

    /** Everything that shapes the response, canonically: a cache key. */
    public String canonical() {
        return query.canonical() + "&f=" + (fields == null ? "*" : String.join(",", new TreeSet<>(fields)));
    }
}
