package dev.gridserve.search;

import java.math.BigInteger;
import java.util.Map;

/**
 * The result of a {@link Summary}: totals over every matching row, per value of the group-by field (spellings
 * that fold to one key are one group, named by its most frequent spelling, as facets are) and the histogram's
 * counts.
 */
public record Aggregates(Acc total, Map<String, Acc> groups, long[] histogram) {

    /** Running totals of one group, per aggregated field in the summary's order; values in held units. */
    public static final class Acc {
        long count;
        final long[] present;
        final ExactSum[] sums;
        final double[] doubleSums;
        final long[] min;
        final long[] max;
        /** How many values equal min and max: a removal can tell when it took the last one away. */
        final long[] minCount;

        final long[] maxCount;
        final long[] zeros;
        final ExactSum[] products;

        Acc(int fields, int products) {
            present = new long[fields];
            sums = new ExactSum[fields];
            doubleSums = new double[fields];
            min = new long[fields];
            max = new long[fields];
            minCount = new long[fields];
            maxCount = new long[fields];
            zeros = new long[fields];
            for (int i = 0; i < fields; i++) {
                sums[i] = new ExactSum();
                min[i] = Long.MAX_VALUE;
                max[i] = Long.MIN_VALUE;
            }
            this.products = new ExactSum[products];
            for (int i = 0; i < products; i++) {
                this.products[i] = new ExactSum();
            }
        }

        void merge(Acc o) {
            count += o.count;
            for (int i = 0; i < present.length; i++) {
                present[i] += o.present[i];
                sums[i].add(o.sums[i]);
                doubleSums[i] += o.doubleSums[i];
                if (o.min[i] < min[i]) {
                    min[i] = o.min[i];
                    minCount[i] = o.minCount[i];
                } else if (o.min[i] == min[i]) {
                    minCount[i] += o.minCount[i];
                }
                if (o.max[i] > max[i]) {
                    max[i] = o.max[i];
                    maxCount[i] = o.maxCount[i];
                } else if (o.max[i] == max[i]) {
                    maxCount[i] += o.maxCount[i];
                }
                zeros[i] += o.zeros[i];
            }
            for (int i = 0; i < products.length; i++) {
                products[i].add(o.products[i]);
            }
        }

        /** A new total of {@code a} and {@code b}, leaving both unchanged. */
        public static Acc sum(Acc a, Acc b) {
            Acc s = new Acc(a.present.length, a.products.length);
            s.merge(a);
            s.merge(b);
            return s;
        }

        /** Matching rows. */
        public long count() {
            return count;
        }

        /** Rows with a value of the {@code i}-th field. */
        public long present(int i) {
            return present[i];
        }

        /** Sum of the {@code i}-th field's held values (integers, decimals' unscaled values, timestamps). */
        public BigInteger sum(int i) {
            return sums[i].value();
        }

        /** Sum of the {@code i}-th field's values as doubles (for double fields). */
        public double doubleSum(int i) {
            return doubleSums[i];
        }

        /** Held minimum of the {@code i}-th field; meaningless when no row has a value. */
        public long min(int i) {
            return min[i];
        }

        public long max(int i) {
            return max[i];
        }

        /** Rows whose {@code i}-th field is zero. */
        public long zeros(int i) {
            return zeros[i];
        }

        /** Sum over rows of the {@code i}-th pair's held values multiplied. */
        public BigInteger product(int i) {
            return products[i].value();
        }
    }

    /** A sum kept in a long while it fits and spilled into a BigInteger when it would overflow. */
    static final class ExactSum {
        private long part;
        private BigInteger spilled = BigInteger.ZERO;

        void add(long v) {
            long s = part + v;
            if (((part ^ s) & (v ^ s)) < 0) {
                spilled = spilled.add(BigInteger.valueOf(part));
                s = v;
            }
            part = s;
        }

        void add(BigInteger v) {
            spilled = spilled.add(v);
        }

        void subtract(long v) {
            if (v == Long.MIN_VALUE) {
                add(BigInteger.valueOf(v).negate());
            } else {
                add(-v);
            }
        }

        /** Adds another sum without a BigInteger unless either has spilled. */
        void add(ExactSum o) {
            add(o.part);
            if (o.spilled.signum() != 0) {
                spilled = spilled.add(o.spilled);
            }
        }

        BigInteger value() {
            return spilled.add(BigInteger.valueOf(part));
        }
    }
}
