package dev.gridserve.search;

import dev.gridserve.product.Cursor;
import dev.gridserve.product.ProductPage;
import dev.gridserve.product.ProductPage.FacetCount;
import dev.gridserve.product.ProductQuery;
import dev.gridserve.product.ProductStats;
import dev.gridserve.product.SortKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.springframework.stereotype.Component;

/** Answers list, facet and stats requests from the index alone. */
@Component
public class ProductSearcher {
    private final ProductIndex index;
    private final SegmentStats segmentStats = new SegmentStats();
    private final SegmentHistograms segmentHistograms = new SegmentHistograms();
    private final FacetOrdinals facetOrdinals = new FacetOrdinals();

    ProductSearcher(ProductIndex index) {
        this.index = index;
    }

    /** One page of {@code q} from {@code s} (a searcher the caller holds, see {@link ProductIndex#acquire}). */
    public ProductPage list(IndexSearcher s, ProductQuery q) {
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

    private ProductPage page(IndexSearcher s, ProductQuery q) throws IOException {
        Query query = QueryBuilder.query(q);
        FieldDoc after = q.cursor() == null ? null : after(q.cursor());
        int skip = after == null ? (int) q.offset() : 0;
        int page = after == null ? q.page() : q.cursor().page();
        boolean pastTheEnd = false;
        Long counted = null;
        ValueHistogram histogram = null;
        if (DeepPage.applies(q, skip)) {
            DeepPage.Position start = DeepPage.lastBefore(s, query, q, skip, segmentHistograms);
            after = start.after();
            counted = start.total();
            histogram = start.histogram();
            pastTheEnd = after == null;
            skip = 0;
        }
        FacetCollector facets = q.facets().isEmpty() ? null : facets(s, query, q);
        long total = facets != null ? facets.docs : counted != null ? counted : s.count(query);
        // One extra hit tells whether a next page exists without counting again.
        int needed = skip + q.pageSize() + 1;
        ScoreDoc[] hits = pastTheEnd
                ? new ScoreDoc[0]
                : s.search(
                                window(s, query, q, after, needed, histogram),
                                new TopFieldCollectorManager(QueryBuilder.sort(q), needed, after, 1))
                        .scoreDocs;
        int end = Math.min(hits.length, skip + q.pageSize());
        List<String> products = json(s, hits, skip, end);
        String next = hits.length > end && end > skip ? cursor(q, page + 1, (FieldDoc) hits[end - 1]) : null;
        long totalPages = (total + q.pageSize() - 1) / q.pageSize();
        return new ProductPage(
                products, total, page, q.pageSize(), totalPages, next, facets == null ? null : counts(facets));
    }

    /**
     * What to collect the page from. Over the whole catalogue, a numeric sort's next rows lie in a value range
     * that the cached histograms find, so only that range is visited instead of every document; the index's
     * own order (newest first) already stops early and needs no window. {@code known} is the query's histogram
     * when a deep page already built it.
     */
    private Query window(IndexSearcher s, Query query, ProductQuery q, FieldDoc after, int needed, ValueHistogram known)
            throws IOException {
        boolean indexOrder = q.sortBy() == SortKey.CREATED_AT && q.descending();
        if (!(query instanceof MatchAllDocsQuery)
                || !q.thenBy().isEmpty()
                || q.sortBy() == SortKey.NAME
                || q.sortBy() == SortKey.RELEVANCE
                || indexOrder) {
            return query;
        }
        ValueHistogram h =
                known != null ? known : ValueHistogram.of(s, query, Fields.sortField(q.sortBy()), segmentHistograms);
        return h == null ? query : h.window(after == null ? null : (Long) after.fields[0], q.descending(), needed);
    }

    private static FieldDoc after(Cursor c) {
        Object[] fields = new Object[c.then().size() + 2];
        fields[0] = value(c.sortBy(), c.numeric(), c.text());
        for (int i = 0; i < c.then().size(); i++) {
            Cursor.Then t = c.then().get(i);
            fields[i + 1] = value(t.key(), t.numeric(), t.text());
        }
        fields[fields.length - 1] = c.id();
        return new FieldDoc(Integer.MAX_VALUE, Float.NaN, fields);
    }

    private static Object value(SortKey key, long numeric, byte[] text) {
        return switch (key) {
            case NAME -> new BytesRef(text);
            case RELEVANCE -> Float.intBitsToFloat((int) numeric);
            default -> numeric;
        };
    }

    private static String cursor(ProductQuery q, int nextPage, FieldDoc last) {
        List<Cursor.Then> then = new ArrayList<>();
        for (int i = 0; i < q.thenBy().size(); i++) {
            SortKey key = q.thenBy().get(i).key();
            Object v = last.fields[i + 1];
            then.add(new Cursor.Then(key, q.thenBy().get(i).descending(), numeric(key, v), text(key, v)));
        }
        Object v = last.fields[0];
        long id = (Long) last.fields[last.fields.length - 1];
        return new Cursor(q.sortBy(), q.descending(), nextPage, numeric(q.sortBy(), v), text(q.sortBy(), v), id, then)
                .encode();
    }

    private static long numeric(SortKey key, Object v) {
        return switch (key) {
            case NAME -> 0;
            case RELEVANCE -> Float.floatToIntBits((Float) v);
            default -> (Long) v;
        };
    }

    private static byte[] text(SortKey key, Object v) {
        return key == SortKey.NAME ? BytesRef.deepCopyOf((BytesRef) v).bytes : null;
    }

    /** Receives exported rows, in order; may throw when the client has gone. */
    @FunctionalInterface
    public interface RowSink {
        void accept(String json) throws IOException;
    }

    /** Rows an export reads from the index at a time: big enough that re-running the query per batch is cheap. */
    static final int EXPORT_BATCH = 10_000;

    /** How many rows {@code q} matches in {@code s}, ignoring paging. */
    public long count(IndexSearcher s, ProductQuery q) {
        return unchecked(() -> s.count(QueryBuilder.query(q)));
    }

    /**
     * Every row {@code q} matches in {@code s}, in its sort order, ignoring paging: batches of rows read with
     * search-after from the one searcher, so the whole export is one point-in-time view of the index however
     * long it takes, and memory holds one batch.
     */
    public void export(IndexSearcher s, ProductQuery q, RowSink sink) throws IOException {
        Query query = QueryBuilder.query(q);
        org.apache.lucene.search.Sort sort = QueryBuilder.sort(q);
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
        for (int i : order) {
            int doc = hits[i].doc;
            if (leaf == null || doc >= leaf.docBase + leaf.reader().maxDoc()) {
                leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
                values = DocValues.getBinary(leaf.reader(), Fields.JSON);
            }
            if (!values.advanceExact(doc - leaf.docBase)) {
                throw new IllegalStateException("Indexed product without JSON: doc " + doc);
            }
            BytesRef json = values.binaryValue();
            out[i - from] = new String(json.bytes, json.offset, json.length, StandardCharsets.UTF_8);
        }
        return Arrays.asList(out);
    }

    /** Facet counts over the whole filtered set; the same pass counts the matches. */
    private FacetCollector facets(IndexSearcher s, Query query, ProductQuery q) throws IOException {
        List<String> asked = List.of("category", "brand", "tags").stream()
                .filter(q.facets()::contains)
                .toList();
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

    /** The product's JSON as indexed, for when the database cannot be asked. */
    public Optional<String> byId(long id) {
        return index.search(s -> {
            TopDocs top = s.search(new TermQuery(new Term(Fields.ID, Long.toString(id))), 1);
            return top.scoreDocs.length == 0
                    ? Optional.empty()
                    : Optional.of(json(s, top.scoreDocs, 0, 1).get(0));
        });
    }

    /** Summary of {@code q}'s matches in {@code s} (a searcher the caller holds). */
    public ProductStats stats(IndexSearcher s, ProductQuery q) {
        return unchecked(() -> summary(s, q));
    }

    private ProductStats summary(IndexSearcher s, ProductQuery q) throws IOException {
        Query query = QueryBuilder.query(q);
        StatsCollector c = query instanceof MatchAllDocsQuery
                ? segmentStats.wholeIndex(s)
                : s.search(query, Collectors2.manager(StatsCollector::new, x -> x, StatsCollector::merge));
        StatsCollector.Acc t = c.total;
        // one line per category as the category filter sees it; merging copies, so cached aggregates stay intact
        List<ProductStats.CategoryStats> cats =
                Spellings.group(c.byCategory, a -> a.count, (a, b) -> StatsCollector.Acc.sum(a, b)).values().stream()
                        .map(g -> new ProductStats.CategoryStats(
                                g.label(),
                                g.value().count,
                                avgCents(g.value().priceSum, g.value().count),
                                g.value().stock,
                                avg(g.value().ratingSum, g.value().rated),
                                new BigDecimal(g.value().inventoryValue(), 2)))
                        .sorted(Comparator.comparingLong(ProductStats.CategoryStats::count)
                                .reversed()
                                .thenComparing(ProductStats.CategoryStats::category))
                        .toList();
        return new ProductStats(
                t.count,
                t.stock,
                avgCents(t.priceSum, t.count),
                t.count == 0 ? null : cents(t.minPrice),
                t.count == 0 ? null : cents(t.maxPrice),
                avg(t.ratingSum, t.rated),
                new BigDecimal(t.inventoryValue(), 2),
                t.outOfStock,
                cats,
                histogram(c.priceBuckets));
    }

    private static List<ProductStats.PriceBucket> histogram(long[] counts) {
        List<ProductStats.PriceBucket> out = new ArrayList<>();
        long[] edges = StatsCollector.PRICE_EDGES;
        for (int i = 0; i < edges.length; i++) {
            out.add(new ProductStats.PriceBucket(
                    cents(edges[i]), i + 1 < edges.length ? cents(edges[i + 1]) : null, counts[i]));
        }
        return out;
    }

    private static BigDecimal cents(long c) {
        return BigDecimal.valueOf(c, 2);
    }

    private static BigDecimal avgCents(long sumCents, long n) {
        return n == 0 ? null : BigDecimal.valueOf(sumCents, 2).divide(BigDecimal.valueOf(n), 2, RoundingMode.HALF_UP);
    }

    private static BigDecimal avg(double sum, long n) {
        return n == 0 ? null : BigDecimal.valueOf(sum / n).setScale(2, RoundingMode.HALF_UP);
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
                NumericDocValues id = DocValues.getNumeric(ctx.reader(), Fields.ID_DV);
                NumericDocValues version = DocValues.getNumeric(ctx.reader(), Fields.VERSION);
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
                NumericDocValues id = DocValues.getNumeric(ctx.reader(), Fields.ID_DV);
                NumericDocValues version = DocValues.getNumeric(ctx.reader(), Fields.VERSION);
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
