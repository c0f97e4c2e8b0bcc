package dev.gridserve.search;

import dev.gridserve.product.ProductQuery;
import dev.gridserve.product.SortKey;
import dev.gridserve.product.SortSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.IndexOrDocValuesQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/** Turns a validated {@link ProductQuery} into a Lucene query and sort. Input is never parsed as syntax. */
final class QueryBuilder {
    private QueryBuilder() {}

    static Query query(ProductQuery q) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        boolean any = false;
        boolean scored = q.sortBy() == SortKey.RELEVANCE;
        for (String term : q.terms()) {
            b.add(scored ? ranked(term) : matches(term), scored ? Occur.MUST : Occur.FILTER);
            any = true;
        }
        any |= anyOf(b, Fields.CATEGORY, q.categories());
        any |= anyOf(b, Fields.BRAND, q.brands());
        any |= anyOf(b, Fields.TAG, q.tags());
        if (q.minPriceCents() != null || q.maxPriceCents() != null) {
            b.add(longRange(Fields.PRICE, q.minPriceCents(), q.maxPriceCents()), Occur.FILTER);
            any = true;
        }
        if (q.minStock() != null || q.maxStock() != null) {
            b.add(
                    longRange(
                            Fields.STOCK,
                            q.minStock() == null ? null : (long) q.minStock(),
                            q.maxStock() == null ? null : (long) q.maxStock()),
                    Occur.FILTER);
            any = true;
        }
        if (q.minRating() != null) {
            b.add(DoublePoint.newRangeQuery(Fields.RATING, q.minRating(), Double.POSITIVE_INFINITY), Occur.FILTER);
            any = true;
        }
        return any ? b.build() : new MatchAllDocsQuery();
    }

    /** Substring match: a prefix of some indexed suffix, or for 1-2 chars an exact n-gram. */
    static Query matches(String term) {
        if (term.length() <= Text.MAX_GRAM) {
            return new TermQuery(new Term(Fields.GRAM, term));
        }
        return new PrefixQuery(new Term(Fields.SUFFIX, term));
    }

    /** Whole word (3) above word prefix (2) above any substring (1); a document scores its best kind. */
    private static Query ranked(String term) {
        return new DisjunctionMaxQuery(
                java.util.List.of(
                        new BoostQuery(new ConstantScoreQuery(new TermQuery(new Term(Fields.WORD, term))), 3f),
                        new BoostQuery(new ConstantScoreQuery(new PrefixQuery(new Term(Fields.WORD, term))), 2f),
                        new ConstantScoreQuery(matches(term))),
                0f);
    }

    private static boolean anyOf(BooleanQuery.Builder b, String field, Set<String> keys) {
        if (keys.isEmpty()) {
            return false;
        }
        b.add(new TermInSetQuery(field, keys.stream().map(BytesRef::new).toList()), Occur.FILTER);
        return true;
    }

    private static Query longRange(String field, Long min, Long max) {
        long lo = min == null ? Long.MIN_VALUE : min;
        long hi = max == null ? Long.MAX_VALUE : max;
        return new IndexOrDocValuesQuery(
                LongPoint.newRangeQuery(field, lo, hi), NumericDocValuesField.newSlowRangeQuery(field, lo, hi));
    }

    /** The sort keys in order, then the id (in the first key's direction) so that no two rows tie. */
    static Sort sort(ProductQuery q) {
        List<SortField> fields = new ArrayList<>();
        fields.add(sortField(q.sortBy(), q.descending()));
        for (SortSpec t : q.thenBy()) {
            fields.add(sortField(t.key(), t.descending()));
        }
        fields.add(new SortField(Fields.ID_DV, SortField.Type.LONG, q.descending()));
        return new Sort(fields.toArray(SortField[]::new));
    }

    private static SortField sortField(SortKey key, boolean desc) {
        if (key == SortKey.RELEVANCE) {
            // Lucene's score sort is best-first when not reversed.
            return new SortField(null, SortField.Type.SCORE, !desc);
        }
        SortField.Type type = key == SortKey.NAME ? SortField.Type.STRING : SortField.Type.LONG;
        return new SortField(Fields.sortField(key), type, desc);
    }
}
