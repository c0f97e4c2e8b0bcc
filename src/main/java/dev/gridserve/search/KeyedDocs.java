package dev.gridserve.search;

import org.apache.lucene.util.ArrayUtil;
import org.apache.lucene.util.IntroSelector;
import org.apache.lucene.util.IntroSorter;

/**
 * Collected rows as (key, id, doc) triples in parallel arrays, ordered by key, then id: the sort positions that
 * deep pages select and sort without a priority queue of objects.
 */
final class KeyedDocs {
    long[] keys;
    long[] ids;
    int[] docs;
    int size;

    KeyedDocs(int capacity) {
        keys = new long[Math.max(16, capacity)];
        ids = new long[keys.length];
        docs = new int[keys.length];
    }

    /** Whether the arrays are full, so that the next {@link #add} grows them. */
    boolean full() {
        return size == keys.length;
    }

    void add(long key, long id, int doc) {
        if (size == keys.length) {
            // doubling: Lucene's grow adds an eighth, and a segment's matches collected from 64 rows up would
            // then allocate about nine times what they end up holding
            int length = keys.length * 2;
            keys = ArrayUtil.growExact(keys, length);
            ids = ArrayUtil.growExact(ids, length);
            docs = ArrayUtil.growExact(docs, length);
        }
        keys[size] = key;
        ids[size] = id;
        docs[size] = doc;
        size++;
    }

    KeyedDocs addAll(KeyedDocs o) {
        for (int i = 0; i < o.size; i++) {
            add(o.keys[i], o.ids[i], o.docs[i]);
        }
        return this;
    }

    /** Whether the triple at {@code i} orders before (key, id). */
    boolean below(int i, long key, long id) {
        return keys[i] < key || (keys[i] == key && ids[i] < id);
    }

    /** Rearranges [from, to) so that position {@code k} holds its k-th smallest triple, smaller ones before it. */
    void select(int from, int to, int k) {
        new IntroSelector() {
            final Pivot pivot = new Pivot(true);

            @Override
            protected void swap(int i, int j) {
                KeyedDocs.this.swap(i, j);
            }

            @Override
            protected void setPivot(int i) {
                pivot.set(i);
            }

            @Override
            protected int comparePivot(int j) {
                return pivot.compareTo(j);
            }
        }.select(from, to, k);
    }

    /**
     * Sorts [from, to). Keys that fit in 31 bits (ordinals) are sorted as packed primitives, which is several
     * times faster than comparing triples, then only the runs of equal keys are sorted by id.
     */
    void sort(int from, int to) {
        boolean packable = true;
        for (int i = from; i < to && packable; i++) {
            packable = keys[i] >= 0 && keys[i] <= Integer.MAX_VALUE;
        }
        if (!packable) {
            sorter(true).sort(from, to);
            return;
        }
        int n = to - from;
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            order[i] = keys[from + i] << 32 | i;
        }
        java.util.Arrays.sort(order);
        long[] k = new long[n];
        long[] id = new long[n];
        int[] d = new int[n];
        for (int j = 0; j < n; j++) {
            int i = from + (int) order[j];
            k[j] = keys[i];
            id[j] = ids[i];
            d[j] = docs[i];
        }
        System.arraycopy(k, 0, keys, from, n);
        System.arraycopy(id, 0, ids, from, n);
        System.arraycopy(d, 0, docs, from, n);
        IntroSorter byId = sorter(false);
        for (int a = from, b; a < to; a = b) {
            b = a + 1;
            while (b < to && keys[b] == keys[a]) {
                b++;
            }
            if (b - a > 1) {
                byId.sort(a, b);
            }
        }
    }

    /** A sorter by (key, id), or by id alone for a run of equal keys. */
    private IntroSorter sorter(boolean byKey) {
        return new IntroSorter() {
            final Pivot pivot = new Pivot(byKey);

            @Override
            protected void swap(int i, int j) {
                KeyedDocs.this.swap(i, j);
            }

            @Override
            protected void setPivot(int i) {
                pivot.set(i);
            }

            @Override
            protected int comparePivot(int j) {
                return pivot.compareTo(j);
            }
        };
    }

    /** The triple a selection or sort compares with; by id alone within a run of equal keys. */
    private final class Pivot {
        private final boolean byKey;
        private long key;
        private long id;

        Pivot(boolean byKey) {
            this.byKey = byKey;
        }

        void set(int i) {
            key = keys[i];
            id = ids[i];
        }

        int compareTo(int j) {
            int c = byKey ? Long.compare(key, keys[j]) : 0;
            return c != 0 ? c : Long.compare(id, ids[j]);
        }
    }

    /** The first position in the sorted [0, size) whose triple is not below (key, id). */
    int lowerBound(long key, long id) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (below(mid, key, id)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void swap(int i, int j) {
        long k = keys[i];
        keys[i] = keys[j];
        keys[j] = k;
        long x = ids[i];
        ids[i] = ids[j];
        ids[j] = x;
        int d = docs[i];
        docs[i] = docs[j];
        docs[j] = d;
    }
}
