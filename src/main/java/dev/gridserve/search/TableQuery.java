package dev.gridserve.search;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything a list, facet, stats or export request asks of a table's index, already validated and normalised:
 * search terms and keys are folded, range bounds are in the field's held long encoding (inclusive). Hard caps
 * are enforced here so no caller can bypass them.
 *
 * @param anyOf field to the folded keys of which a row must have one
 * @param ranges field to inclusive bounds in held units
 * @param sort the sort keys, never empty; the id breaks ties
 */
public record TableQuery(
        int page,
        int pageSize,
        List<String> terms,
        Map<String, Set<String>> anyOf,
        Map<String, Range> ranges,
        List<Order> sort,
        Cursor cursor,
        List<String> facets) {

    public static final int MAX_PAGE_SIZE = 1000;
    /** Keys of a multi-column sort, the first included. */
    public static final int MAX_SORT_KEYS = 3;

    /** Inclusive bounds; null is unbounded. */
    public record Range(Long min, Long max) {}

    public TableQuery {
        if (page < 1 || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page/page_size out of range");
        }
        terms = List.copyOf(terms);
        sort = List.copyOf(sort);
        if (sort.isEmpty() || sort.size() > MAX_SORT_KEYS) {
            throw new IllegalArgumentException("bad sort");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < sort.size(); i++) {
            Order o = sort.get(i);
            boolean relevance = o.field().equals(IndexLayout.RELEVANCE);
            if (!seen.add(o.field()) || (relevance && (i > 0 || terms.isEmpty()))) {
                throw new IllegalArgumentException("bad sort keys");
            }
        }
        Map<String, Set<String>> keys = new LinkedHashMap<>();
        anyOf.forEach((f, v) -> {
            if (!v.isEmpty()) {
                keys.put(f, Set.copyOf(v));
            }
        });
        anyOf = java.util.Collections.unmodifiableMap(keys);
        ranges = Map.copyOf(ranges);
        facets = List.copyOf(facets);
    }

    /** The first sort key. */
    public Order first() {
        return sort.getFirst();
    }

    /** Whether the rows are ordered by more than one key (besides the id). */
    public boolean multiKey() {
        return sort.size() > 1;
    }

    /** Rows to skip before this page when paging by number. */
    public long offset() {
        return (long) (page - 1) * pageSize;
    }

    /** The same query without paging: every row, for counting or exporting. */
    public TableQuery unpaged() {
        return new TableQuery(1, MAX_PAGE_SIZE, terms, anyOf, ranges, sort, null, List.of());
    }

    /**
     * A canonical text of everything that shapes the answer: equivalent requests (other parameter order, key
     * order) give the same text. Used in cache keys.
     */
    public String canonical() {
        StringBuilder sb = new StringBuilder(128);
        sb.append("p=").append(page).append("&s=").append(pageSize);
        list(sb.append("&t="), new TreeSet<>(terms));
        new TreeMap<>(anyOf).forEach((f, v) -> list(sb.append('&').append(f).append('='), new TreeSet<>(v)));
        new TreeMap<>(ranges)
                .forEach((f, r) -> sb.append('&')
                        .append(f)
                        .append('~')
                        .append(r.min())
                        .append(',')
                        .append(r.max()));
        sb.append("&o=");
        for (Order o : sort) {
            sb.append(o.field()).append(o.descending() ? ",d;" : ",a;");
        }
        sb.append("&k=").append(cursor == null ? "" : cursor.encode());
        list(sb.append("&x="), new TreeSet<>(facets));
        return sb.toString();
    }

    private static void list(StringBuilder sb, Collection<String> values) {
        for (String v : values) {
            dev.gridserve.system.JsonText.string(sb, v);
        }
    }
}
