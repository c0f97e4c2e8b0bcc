package dev.gridserve.search;

import java.util.Collection;
import java.util.Iterator;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/** Feeds pre-computed terms to the index without an analyzer, so one Field carries hundreds of terms. */
final class TermsTokenStream extends TokenStream {
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final Collection<String> terms;
    private Iterator<String> it;

    TermsTokenStream(Collection<String> terms) {
        this.terms = terms;
    }

    @Override
    public void reset() {
        it = terms.iterator();
    }

    @Override
    public boolean incrementToken() {
        if (it == null || !it.hasNext()) {
            return false;
        }
        clearAttributes();
        term.setEmpty().append(it.next());
        return true;
    }
}
