package dev.gridserve.tables;

/** What text a row may hold, for every table. */
public final class Texts {
    private Texts() {}

    /** PostgreSQL text cannot hold NUL, and a lone surrogate would silently become '?' on the way in. */
    public static boolean storable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
