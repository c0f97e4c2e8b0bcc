package dev.gridserve.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

/** Turns a validated {@link TableQuery} into a Lucene query and sort. Input is never parsed as syntax. */
final class QueryBuilder {
    private QueryBuilder() {}

    static Query query(IndexLayout layout, TableQuery q) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        boolean any = false;
        boolean scored = q.first().field().equals(IndexLayout.RELEVANCE);
        for (String term : q.terms()) {
            b.add(scored ? ranked(term) : matches(term), scored ? Occur.MUST : Occur.FILTER);
            any = true;
        }
        for (Map.Entry<String, Set<String>> e : q.anyOf().entrySet()) {
            b.add(
                    new TermInSetQuery(
                            IndexLayout.key(e.getKey()),
                            e.getValue().stream().map(BytesRef::new).toList()),
                    Occur.FILTER);
            any = true;
        }
        for (Map.Entry<String, TableQuery.Range> e : q.ranges().entrySet()) {
            long missing = layout.missing(e.getKey());
            b.add(
                    longRange(
                            e.getKey(),
                            missing,
                            e.getValue().min(),
                            e.getValue().max()),
                    Occur.FILTER);
            any = true;
        }
        return any ? b.build() : new MatchAllDocsQuery();
    }

    /** Substring match: a prefix of some indexed suffix, or for 1-2 chars an exact n-gram. */
    static Query matches(String term) {
        if (term.length() <= Text.MAX_GRAM) {
            return new TermQuery(new Term(IndexLayout.GRAM, term));
        }
        return new PrefixQuery(new Term(IndexLayout.SUFFIX, term));
    }

    /** Whole word (3) above word prefix (2) above any substring (1); a document scores its best kind. */
    private static Query ranked(String term) {
        return new DisjunctionMaxQuery(
                List.of(
                        new BoostQuery(new ConstantScoreQuery(new TermQuery(new Term(IndexLayout.WORD, term))), 3f),
                        new BoostQuery(new ConstantScoreQuery(new PrefixQuery(new Term(IndexLayout.WORD, term))), 2f),
                        new ConstantScoreQuery(matches(term))),
                0f);
    }

    /** Rows whose value lies in the bounds; a row without a value (held as the minimum) never does. */
    private static Query longRange(String field, long missing, Long min, Long max) {
        long lo = min == null ? missing + 1 : Math.max(min, missing + 1);
        long hi = max == null ? Long.MAX_VALUE : max;
        return new IndexOrDocValuesQuery(
                LongPoint.newRangeQuery(field, lo, hi), NumericDocValuesField.newSlowRangeQuery(field, lo, hi));
    }

    /** The sort keys in order, then the id (in the first key's direction) so that no two rows tie. */
    static Sort sort(IndexLayout layout, TableQuery q) {
        List<SortField> fields = new ArrayList<>();
        for (Order o : q.sort()) {
            fields.add(layout.sortField(o.field(), o.descending()));
        }
        fields.add(
                new SortField(IndexLayout.ID_DV, SortField.Type.LONG, q.first().descending()));
        return new Sort(fields.toArray(SortField[]::new));
    }
}
