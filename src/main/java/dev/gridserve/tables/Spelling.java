package dev.gridserve.tables;

import java.util.Collection;

/** The known name a mistyped one was probably meant to be. */
final class Spelling {
    /** Names longer than this are not compared: a suggestion for a 500-character name helps no one. */
    private static final int MAX_COMPARED = 64;

    private Spelling() {}

    /**
     * The name in {@code known} nearest to {@code typed} by edit distance (insertions, deletions, substitutions and
     * swaps of neighbours), when it is near enough to be a typo: at most 2 edits, and fewer than half the
     * length; null otherwise. Ties go to the alphabetically first.
     */
    static String nearest(String typed, Collection<String> known) {
        if (typed.length() > MAX_COMPARED) {
            return null;
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known.stream().sorted().toList()) {
            int d = distance(typed, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return bestDistance <= 2 && bestDistance * 2 < Math.max(typed.length(), 2) ? best : null;
    }

    /** Optimal string alignment distance. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
