package dev.gridserve.search;

import dev.gridserve.search.Page.FacetCount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/** Answers a table's list, facet and stats requests from its index alone. */
public class TableSearcher {
    private final TableIndex index;
    private final IndexLayout layout;
    private final SegmentStats segmentStats = new SegmentStats();
    private final SegmentHistograms segmentHistograms = new SegmentHistograms();
    private final FacetOrdinals facetOrdinals = new FacetOrdinals();

    public TableSearcher(TableIndex index) {
        this.index = index;
        this.layout = index.layout();
    }

    /** One page of {@code q} from {@code s} (a searcher the caller holds, see {@link TableIndex#acquire}). */
    public Page list(IndexSearcher s, TableQuery q) {
        return unchecked(() -> page(s, q));
    }

    @FunctionalInterface
    private interface IoWork<T> {
        T run() throws IOException;
    }

    private static <T> T unchecked(IoWork<T> work) {
        try {
            return work.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Page page(IndexSearcher s, TableQuery q) throws IOException {
        Query query = QueryBuilder.query(layout, q);
        FieldDoc after = q.cursor() == null ? null : after(q.cursor());
        int skip = after == null ? (int) q.offset() : 0;
        int page = after == null ? q.page() : q.cursor().page();
        boolean pastTheEnd = false;
        Long counted = null;
        ValueHistogram histogram = null;
        // One extra hit tells whether a next page exists without counting again.
        int pageHits = q.pageSize() + 1;
        ScoreDoc[] known = null;
        if (DeepPage.applies(layout, q, skip)) {
            DeepPage.Position start = DeepPage.lastBefore(s, query, q, skip, pageHits, segmentHistograms);
            after = start.after();
            counted = start.total();
            histogram = start.histogram();
            known = start.page();
            pastTheEnd = after == null;
            skip = 0;
        } else if (TextDeepPage.applies(layout, q, skip)) {
            TextDeepPage.Result r = TextDeepPage.page(s, query, layout, q.first(), skip, pageHits);
            counted = r.total();
            known = r.hits();
            skip = 0;
        }
        FacetCollector facets = q.facets().isEmpty() ? null : facets(s, query, q);
        long total = facets != null ? facets.docs : counted != null ? counted : s.count(query);
        int needed = skip + pageHits;
        ScoreDoc[] hits = pastTheEnd
                ? new ScoreDoc[0]
                : known != null
                        ? known
                        : s.search(
                                        window(s, query, q, after, needed, histogram),
                                        new TopFieldCollectorManager(QueryBuilder.sort(layout, q), needed, after, 1))
                                .scoreDocs;
        int end = Math.min(hits.length, skip + q.pageSize());
        List<String> rows = json(s, hits, skip, end);
        String next = hits.length > end && end > skip ? cursor(q, page + 1, (FieldDoc) hits[end - 1]) : null;
        long totalPages = (total + q.pageSize() - 1) / q.pageSize();
        return new Page(rows, total, page, q.pageSize(), totalPages, next, facets == null ? null : counts(facets));
    }

    /**
     * What to collect the page from. Over the whole catalogue, a numeric sort's next rows lie in a value range
     * that the cached histograms find, so only that range is visited instead of every document; the index's
     * own order (newest first) already stops early and needs no window. {@code known} is the query's histogram
     * when a deep page already built it.
     */
    private Query window(IndexSearcher s, Query query, TableQuery q, FieldDoc after, int needed, ValueHistogram known)
            throws IOException {
        Order first = q.first();
        boolean indexOrder = first.field().equals(IndexLayout.CREATED) && first.descending();
        if (!(query instanceof MatchAllDocsQuery)
                || q.multiKey()
                || first.field().equals(IndexLayout.RELEVANCE)
                || layout.textSort(first.field())
                || indexOrder) {
            return query;
        }
        ValueHistogram h = known != null ? known : ValueHistogram.of(s, query, first.field(), segmentHistograms);
        return h == null ? query : h.window(after == null ? null : (Long) after.fields[0], first.descending(), needed);
    }

    private FieldDoc after(Cursor c) {
        Object[] fields = new Object[c.keys().size() + 1];
        for (int i = 0; i < c.keys().size(); i++) {
            Cursor.Key k = c.keys().get(i);
            fields[i] = k.field().equals(IndexLayout.RELEVANCE)
                    ? Float.intBitsToFloat((int) k.numeric())
                    : layout.textSort(k.field()) ? new BytesRef(k.text()) : (Object) k.numeric();
        }
        fields[fields.length - 1] = c.id();
        return new FieldDoc(Integer.MAX_VALUE, Float.NaN, fields);
    }

    private String cursor(TableQuery q, int nextPage, FieldDoc last) {
        List<Cursor.Key> keys = new ArrayList<>();
        for (int i = 0; i < q.sort().size(); i++) {
            Order o = q.sort().get(i);
            Object v = last.fields[i];
            if (o.field().equals(IndexLayout.RELEVANCE)) {
                keys.add(new Cursor.Key(o.field(), o.descending(), Float.floatToIntBits((Float) v), null));
            } else if (layout.textSort(o.field())) {
                // a row without the field sorts as null: an empty key is the same position
                byte[] text = v == null ? new byte[0] : BytesRef.deepCopyOf((BytesRef) v).bytes;
                keys.add(new Cursor.Key(o.field(), o.descending(), 0, text));
            } else {
                keys.add(new Cursor.Key(o.field(), o.descending(), (Long) v, null));
            }
        }
        long id = (Long) last.fields[last.fields.length - 1];
        return new Cursor(keys, nextPage, id).encode();
    }

    /** Receives exported rows, in order; may throw when the client has gone. */
    @FunctionalInterface
    public interface RowSink {
        void accept(String json) throws IOException;
    }

    /** Rows an export reads from the index at a time: big enough that re-running the query per batch is cheap. */
    static final int EXPORT_BATCH = 10_000;

    /** How many rows {@code q} matches in {@code s}, ignoring paging. */
    /**
     * The live documents of rows {@code ids} in {@code s}'s reader, to test queries against with {@link
     * #selectsAny}: found once per set of rows instead of by every query.
     */
    public Docs locate(IndexSearcher s, Collection<Long> ids) throws IOException {
        List<LeafReaderContext> leaves = new ArrayList<>();
        List<Integer> docs = new ArrayList<>();
        for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
            Terms terms = leaf.reader().terms(IndexLayout.ID);
            if (terms == null) {
                continue;
            }
            TermsEnum te = terms.iterator();
            Bits live = leaf.reader().getLiveDocs();
            PostingsEnum postings = null;
            for (long id : ids) {
                if (!te.seekExact(new BytesRef(Long.toString(id)))) {
                    continue;
                }
                postings = te.postings(postings, PostingsEnum.NONE);
                for (int d = postings.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = postings.nextDoc()) {
                    if (live == null || live.get(d)) {
                        leaves.add(leaf);
                        docs.add(d);
                    }
                }
            }
        }
        // a searcher of its own without the query cache: these one-off tests would only churn it
        IndexSearcher own = new IndexSearcher(s.getIndexReader());
        own.setQueryCache(null);
        return new Docs(own, leaves, docs);
    }

    /** Some rows' documents in one reader (see {@link #locate}). */
    public record Docs(IndexSearcher searcher, List<LeafReaderContext> leaves, List<Integer> docs) {}

    /** Whether {@code q}'s filters and search select any of {@code docs}. */
    public boolean selectsAny(Docs docs, TableQuery q) throws IOException {
        if (docs.docs().isEmpty()) {
            return false;
        }
        IndexSearcher s = docs.searcher();
        Weight w = s.createWeight(s.rewrite(QueryBuilder.query(layout, q)), ScoreMode.COMPLETE_NO_SCORES, 1f);
        for (int i = 0; i < docs.docs().size(); i++) {
            ScorerSupplier supplier = w.scorerSupplier(docs.leaves().get(i));
            if (supplier == null) {
                continue;
            }
            int doc = docs.docs().get(i);
            Scorer scorer = supplier.get(1);
            TwoPhaseIterator twoPhase = scorer.twoPhaseIterator();
            DocIdSetIterator it = twoPhase == null ? scorer.iterator() : twoPhase.approximation();
            if (it.advance(doc) == doc && (twoPhase == null || twoPhase.matches())) {
                return true;
            }
        }
        return false;
    }

    public long count(IndexSearcher s, TableQuery q) {
        return unchecked(() -> s.count(QueryBuilder.query(layout, q)));
    }

    /**
     * Every row {@code q} matches in {@code s}, in its sort order, ignoring paging: batches of rows read with
     * search-after from the one searcher, so the whole export is one point-in-time view of the index however
     * long it takes, and memory holds one batch.
     */
    public void export(IndexSearcher s, TableQuery q, RowSink sink) throws IOException {
        Query query = QueryBuilder.query(layout, q);
        org.apache.lucene.search.Sort sort = QueryBuilder.sort(layout, q);
        if (IndexOrderExport.applies(s, sort)) {
            IndexOrderExport.run(s, query, sort, sink);
            return;
        }
        FieldDoc after = null;
        while (true) {
            ScoreDoc[] hits = s.search(query, new TopFieldCollectorManager(sort, EXPORT_BATCH, after, 1)).scoreDocs;
            for (String row : json(s, hits, 0, hits.length)) {
                sink.accept(row);
            }
            if (hits.length < EXPORT_BATCH) {
                return;
            }
            after = (FieldDoc) hits[hits.length - 1];
        }
    }

    /** The JSON of {@code hits[from, to)}, read segment by segment in document order (doc values only go forward). */
    private static List<String> json(IndexSearcher s, ScoreDoc[] hits, int from, int to) throws IOException {
        Integer[] order = new Integer[Math.max(0, to - from)];
        for (int i = 0; i < order.length; i++) {
            order[i] = from + i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> hits[i].doc));
        String[] out = new String[order.length];
        List<LeafReaderContext> leaves = s.getIndexReader().leaves();
        LeafReaderContext leaf = null;
        BinaryDocValues values = null;
        JsonCodec codec = IndexGeneration.json(s);
        for (int i : order) {
            int doc = hits[i].doc;
            if (leaf == null || doc >= leaf.docBase + leaf.reader().maxDoc()) {
                leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
                values = DocValues.getBinary(leaf.reader(), IndexLayout.JSON);
            }
            out[i - from] = codec.decode(values, doc - leaf.docBase);
        }
        return Arrays.asList(out);
    }

    /** Facet counts over the whole filtered set; the same pass counts the matches. */
    private FacetCollector facets(IndexSearcher s, Query query, TableQuery q) throws IOException {
        List<String> asked = q.facets();
        return s.search(
                query,
                Collectors2.manager(() -> new FacetCollector(asked, facetOrdinals), c -> c, FacetCollector::merge));
    }

    /** Counts per value as filters see values: spellings of one folded key are one row. */
    private static Map<String, List<FacetCount>> counts(FacetCollector facets) {
        Map<String, List<FacetCount>> out = new LinkedHashMap<>();
        facets.counts.forEach((facet, m) -> out.put(
                facet,
                Spellings.group(m, Long::longValue, Long::sum).values().stream()
                        .map(g -> new FacetCount(g.label(), g.value()))
                        .sorted(Comparator.comparingLong(FacetCount::count)
                                .reversed()
                                .thenComparing(FacetCount::value))
                        .toList()));
        return out;
    }

    /** The row's JSON as indexed, for when the database cannot be asked. */
    public Optional<String> byId(long id) {
        return index.search(s -> {
            TopDocs top = s.search(new TermQuery(new Term(IndexLayout.ID, Long.toString(id))), 1);
            return top.scoreDocs.length == 0
                    ? Optional.empty()
                    : Optional.of(json(s, top.scoreDocs, 0, 1).get(0));
        });
    }

    /** {@code spec} over {@code q}'s matches in {@code s} (a searcher the caller holds). */
    public Aggregates summarize(IndexSearcher s, TableQuery q, Summary spec) {
        return unchecked(() -> {
            Query query = QueryBuilder.query(layout, q);
            Aggregator c = query instanceof MatchAllDocsQuery
                    ? segmentStats.wholeIndex(s, layout, spec)
                    : s.search(
                            query, Collectors2.manager(() -> new Aggregator(layout, spec), x -> x, Aggregator::merge));
            Map<String, Aggregates.Acc> groups = new HashMap<>();
            // one group per value as the filter sees it; merging copies, so cached aggregates stay intact
            Spellings.group(c.groups, Aggregates.Acc::count, Aggregates.Acc::sum)
                    .values()
                    .forEach(g -> groups.put(g.label(), g.value()));
            return new Aggregates(c.total, groups, c.buckets.clone());
        });
    }

    /** Per id range ({@code id / width}) over live documents: count, sum of ids, sum of versions. */
    public Map<Long, List<Long>> rangeChecksums(long width) {
        Map<Long, long[]> sums = new HashMap<>();
        forEachLive((id, version) -> {
            long[] a = sums.computeIfAbsent(id / width, k -> new long[3]);
            a[0]++;
            a[1] += id;
            a[2] += version;
        });
        Map<Long, List<Long>> out = new HashMap<>();
        sums.forEach((b, a) -> out.put(b, List.of(a[0], a[1], a[2])));
        return out;
    }

    /** Id to version of every live document with an id in {@code from..to}. */
    public Map<Long, Long> versions(long from, long to) {
        Map<Long, Long> out = new HashMap<>();
        forEachLive((id, version) -> {
            if (id >= from && id <= to) {
                out.put(id, version);
            }
        });
        return out;
    }

    @FunctionalInterface
    private interface IdVersion {
        void accept(long id, long version);
    }

    private void forEachLive(IdVersion sink) {
        index.search(s -> {
            for (LeafReaderContext ctx : s.getIndexReader().leaves()) {
                Bits live = ctx.reader().getLiveDocs();
                NumericDocValues id = DocValues.getNumeric(ctx.reader(), IndexLayout.ID_DV);
                NumericDocValues version = DocValues.getNumeric(ctx.reader(), IndexLayout.VERSION);
                for (int doc = id.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = id.nextDoc()) {
                    if (live == null || live.get(doc)) {
                        sink.accept(id.longValue(), version.advanceExact(doc) ? version.longValue() : 0);
                    }
                }
            }
            return null;
        });
    }

    /** Index side of reconciliation: live documents, and sums of their ids and versions. */
    public record IndexChecksum(long count, BigInteger idSum, BigInteger versionSum) {}

    public IndexChecksum checksum() {
        return index.search(s -> {
            long count = 0;
            BigInteger ids = BigInteger.ZERO;
            BigInteger versions = BigInteger.ZERO;
            for (LeafReaderContext ctx : s.getIndexReader().leaves()) {
                Bits live = ctx.reader().getLiveDocs();
                NumericDocValues id = DocValues.getNumeric(ctx.reader(), IndexLayout.ID_DV);
                NumericDocValues version = DocValues.getNumeric(ctx.reader(), IndexLayout.VERSION);
                long idSum = 0;
                long versionSum = 0;
                for (int doc = id.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = id.nextDoc()) {
                    if (live == null || live.get(doc)) {
                        count++;
                        idSum += id.longValue();
                        versionSum += version.advanceExact(doc) ? version.longValue() : 0;
                    }
                }
                ids = ids.add(BigInteger.valueOf(idSum));
                versions = versions.add(BigInteger.valueOf(versionSum));
            }
            return new IndexChecksum(count, ids, versions);
        });
    }
}
