package dev.gridserve.search;

import java.util.Arrays;
import java.util.List;

/**
 * What a stats request aggregates over the matching rows: for each numeric field in {@code fields} the count of
 * rows with a value, the sum, minimum, maximum and the count of zeros; exact sums of the product of two fields
 * ({@code products}, e.g. price times stock); the same per value of a facet field ({@code groupBy}, may be
 * null); and a histogram of one field over lower bucket edges in held units ({@code histogram}, may be null).
 */
public record Summary(List<String> fields, List<Pair> products, String groupBy, Histogram histogram) {
    public record Pair(String a, String b) {}

    /** Buckets from each edge (inclusive) to the next; the last is open-ended. */
    public record Histogram(String field, long[] edges) {
        public Histogram {
            edges = edges.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Histogram h && h.field.equals(field) && Arrays.equals(h.edges, edges);
        }

        @Override
        public int hashCode() {
            return field.hashCode() * 31 + Arrays.hashCode(edges);
        }

        @Override
        public String toString() {
            return field + Arrays.toString(edges);
        }
    }

    public Summary {
        fields = List.copyOf(fields);
        products = List.copyOf(products);
    }

    int index(String field) {
        int i = fields.indexOf(field);
        if (i < 0) {
            throw new IllegalArgumentException(field + " is not aggregated");
        }
        return i;
    }
}
