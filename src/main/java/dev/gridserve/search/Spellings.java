package dev.gridserve.search;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.ToLongFunction;

/**
 * Groups values that filters treat as one ("Office" and "office", "café" and "cafe": the same folded key) and
 * names each group by its most frequent spelling (the alphabetically first on a tie), so a facet row or a
 * per-category line counts exactly what clicking it selects.
 */
final class Spellings {
    private Spellings() {}

    /** A group's label and its merged value. */
    record Group<V>(String label, V value) {}

    /** {@code bySpelling} grouped by folded key; {@code weight} says how frequent a spelling is. */
    static <V> Map<String, Group<V>> group(
            Map<String, V> bySpelling, ToLongFunction<V> weight, BinaryOperator<V> merge) {
        Map<String, Map<String, V>> byKey = new HashMap<>();
        bySpelling.forEach((spelling, v) ->
                byKey.computeIfAbsent(Text.fold(spelling), k -> new HashMap<>()).put(spelling, v));
        Map<String, Group<V>> out = new HashMap<>();
        byKey.forEach((key, spellings) -> {
            String label = spellings.entrySet().stream()
                    .min(Comparator.<Map.Entry<String, V>>comparingLong(e -> -weight.applyAsLong(e.getValue()))
                            .thenComparing(Map.Entry::getKey))
                    .orElseThrow()
                    .getKey();
            V merged = spellings.values().stream().reduce(merge).orElseThrow();
            out.put(key, new Group<>(label, merged));
        });
        return out;
    }
}
