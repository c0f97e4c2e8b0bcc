package dev.gridserve.search;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import org.apache.lucene.index.IndexReader;

/**
 * Values computed once per segment and dropped when it closes. Keyed by a core cache helper, a value lives as
 * long as the segment's files (deletions do not change it); keyed by a reader cache helper, it belongs to one
 * set of live documents.
 */
final class PerSegment<V> {
    @FunctionalInterface
    interface Compute<V> {
        V compute() throws IOException;
    }

    private final Map<IndexReader.CacheKey, Map<String, V>> values = new ConcurrentHashMap<>();

    /**
     * The value named {@code name} for the segment, computed when absent or {@code stale}; a null result is not
     * kept, and without a cache helper nothing is.
     */
    V get(IndexReader.CacheHelper helper, String name, Predicate<V> stale, Compute<V> compute) throws IOException {
        if (helper == null) {
            return compute.compute();
        }
        Map<String, V> named = values.computeIfAbsent(helper.getKey(), key -> {
            helper.addClosedListener(values::remove);
            return new ConcurrentHashMap<>();
        });
        V v = named.get(name);
        if (v == null || stale.test(v)) {
            v = compute.compute();
            if (v != null) {
                named.put(name, v);
            }
        }
        return v;
    }

    /** The value named {@code name} for the segment, if one is kept. */
    V peek(IndexReader.CacheHelper helper, String name) {
        if (helper == null) {
            return null;
        }
        Map<String, V> named = values.get(helper.getKey());
        return named == null ? null : named.get(name);
    }

    /** Keeps {@code v} as the value named {@code name} unless {@code keep} prefers the one already there. */
    void offer(IndexReader.CacheHelper helper, String name, V v, BiPredicate<V, V> keep) {
        if (helper == null) {
            return;
        }
        values.computeIfAbsent(helper.getKey(), key -> {
                    helper.addClosedListener(values::remove);
                    return new ConcurrentHashMap<>();
                })
                .merge(name, v, (old, offered) -> keep.test(old, offered) ? old : offered);
    }
}
