package dev.gridserve.search;

import java.util.Arrays;

/**
 * Passes each 1- or 2-char gram of a document on once. The gram field records documents, not counts, and a
 * product's text repeats most of its grams (243 per product in the bench catalogue, 102 distinct), so dropping
 * repeats here, with a primitive set, saves the index writer the far dearer hashing of each repeat.
 */
final class DistinctGrams implements Text.Sink {
    private static final long FREE = -1;

    private final Text.Sink out;
    private long[] keys = new long[512];
    private int size;

    DistinctGrams(Text.Sink out) {
        this.out = out;
        Arrays.fill(keys, FREE);
    }

    @Override
    public void term(String chunk, int start, int end) {
        long key = end - start == 1
                ? chunk.charAt(start)
                : (1L << 32) | ((long) chunk.charAt(start) << 16) | chunk.charAt(start + 1);
        if (add(key)) {
            out.term(chunk, start, end);
        }
    }

    private boolean add(long key) {
        int mask = keys.length - 1;
        for (int i = Long.hashCode(key * 0x9E3779B97F4A7C15L) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return false;
            }
            if (keys[i] == FREE) {
                keys[i] = key;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return true;
            }
        }
    }

    private void grow() {
        long[] old = keys;
        keys = new long[old.length * 2];
        Arrays.fill(keys, FREE);
        size = 0;
        for (long k : old) {
            if (k != FREE) {
                add(k);
            }
        }
    }
}
