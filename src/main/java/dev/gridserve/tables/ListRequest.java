package dev.gridserve.tables;

import dev.gridserve.search.TableQuery;
import java.util.Set;
import java.util.TreeSet;

/**
 * A validated list (or stats, or export) request of one table: the index query, and the fields the response keeps
 * ({@code fields=}; null for every field).
 */
public record ListRequest(TableQuery query, Set<String> fields) {
    public ListRequest {
        fields = fields == null ? null : Set.copyOf(fields);
    }

    /** Everything that shapes the response, canonically: a cache key. */
    public String canonical() {
        return query.canonical() + "&f=" + (fields == null ? "*" : String.join(",", new TreeSet<>(fields)));
    }
}
