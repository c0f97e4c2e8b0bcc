package dev.gridserve.search;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one definition of how text is matched. Search is substring matching (as the original service's regex
 * search was) made fast: text is case- and accent-folded, split into whitespace-separated chunks, and every
 * chunk's suffixes are indexed so that "term is a substring of a chunk" becomes "term is a prefix of an
 * indexed suffix", answered from the term dictionary.
 */
public final class Text {
    /** Suffixes are cut to this many chars; search terms may not be longer, so matching stays exact. */
    public static final int MAX_TERM_LENGTH = 64;

    /** Terms this short are answered from an exact n-gram field instead of a huge prefix expansion. */
    static final int MAX_GRAM = 2;

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private Text() {}

    /** Lower-cases (locale-independent) and strips accents. */
    public static String fold(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        boolean ascii = true;
        for (int i = 0; i < lower.length(); i++) {
            if (lower.charAt(i) > 0x7f) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return lower;
        }
        return MARKS.matcher(Normalizer.normalize(lower, Normalizer.Form.NFD)).replaceAll("");
    }

    /** Splits folded text on whitespace (any Unicode whitespace), dropping empty pieces. */
    public static List<String> chunks(String folded) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < folded.length(); i++) {
            boolean ws = Character.isWhitespace(folded.charAt(i)) || Character.isSpaceChar(folded.charAt(i));
            if (ws) {
                if (start >= 0) {
                    out.add(folded.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
        }
        if (start >= 0) {
            out.add(folded.substring(start));
        }
        return out;
    }

    /** Search terms of a raw query: folded, whitespace-separated, de-duplicated, in order. */
    public static List<String> terms(String rawSearch) {
        return List.copyOf(new LinkedHashSet<>(chunks(fold(rawSearch))));
    }

    /** Receives a term as a range of a chunk, so no substring is copied until the index needs it. */
    @FunctionalInterface
    interface Sink {
        void term(String chunk, int start, int end);
    }

    /** Whole words for relevance: each chunk plus its letter/digit runs ("usb-c," gives usb-c, usb, c). */
    static void words(String chunk, Sink out) {
        out.term(chunk, 0, clip(chunk, 0, chunk.length()));
        int start = -1;
        for (int i = 0; i <= chunk.length(); i++) {
            boolean alnum = i < chunk.length() && Character.isLetterOrDigit(chunk.charAt(i));
            if (alnum && start < 0) {
                start = i;
            } else if (!alnum && start >= 0) {
                if (start > 0 || i < chunk.length()) {
                    out.term(chunk, start, clip(chunk, start, i));
                }
                start = -1;
            }
        }
    }

    /**
     * Every suffix of the chunk longer than {@link #MAX_GRAM} (shorter terms are answered by grams), each cut
     * to {@link #MAX_TERM_LENGTH} chars.
     */
    static void suffixes(String chunk, Sink out) {
        for (int i = 0; i + MAX_GRAM < chunk.length(); i++) {
            if (!Character.isLowSurrogate(chunk.charAt(i))) {
                out.term(chunk, i, clip(chunk, i, chunk.length()));
            }
        }
    }

    /** Every substring of 1..{@link #MAX_GRAM} chars of the chunk. */
    static void grams(String chunk, Sink out) {
        for (int i = 0; i < chunk.length(); i++) {
            for (int n = 1; n <= MAX_GRAM && i + n <= chunk.length(); n++) {
                out.term(chunk, i, i + n);
            }
        }
    }

    /** Adapts a sink to a set of strings (for looking at what is indexed). */
    static Sink into(Set<String> out) {
        return (chunk, start, end) -> out.add(chunk.substring(start, end));
    }

    /** End of {@code chunk[start, end)} cut to {@link #MAX_TERM_LENGTH} chars, never splitting a surrogate pair. */
    private static int clip(String chunk, int start, int end) {
        if (end - start <= MAX_TERM_LENGTH) {
            return end;
        }
        int cut = start + MAX_TERM_LENGTH;
        return Character.isHighSurrogate(chunk.charAt(cut - 1)) ? cut - 1 : cut;
    }
}
