package dev.gridserve.search;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.util.ArrayUtil;

/**
 * Feeds pre-computed terms (ranges of text chunks) to the index without an analyzer, so one Field carries
 * hundreds of terms and no substring is allocated. Repeats are correct (the fields index documents only) but
 * cost the writer a hash lookup each, so callers drop the common ones ({@link DistinctGrams}, repeated chunks).
 */
final class TermsTokenStream extends TokenStream implements Text.Sink {
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private String[] chunks = new String[64];
    private int[] starts = new int[64];
    private int[] ends = new int[64];
    private int size;
    private int next;

    @Override
    public void term(String chunk, int start, int end) {
        if (size == chunks.length) {
            chunks = ArrayUtil.growExact(chunks, size * 2);
            starts = ArrayUtil.growExact(starts, size * 2);
            ends = ArrayUtil.growExact(ends, size * 2);
        }
        chunks[size] = chunk;
        starts[size] = start;
        ends[size] = end;
        size++;
    }

    @Override
    public void reset() {
        next = 0;
    }

    @Override
    public boolean incrementToken() {
        if (next >= size) {
            return false;
        }
        clearAttributes();
        term.setEmpty().append(chunks[next], starts[next], ends[next]);
        next++;
        return true;
    }
}
