package dev.gridserve.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.schema.SchemaFile;
import dev.gridserve.schema.TableSchema;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.lucene.util.NumericUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine on a table that is not products, laid out from a schema file alone: every list (filters, search,
 * one- and multi-key sorts, cursor walks to the end), facet and summary is compared with a brute-force oracle
 * that works on the rows' own values and shares no code with the engine.
 */
class GenericEngineTest {
    static final String ORDERS = """
            table: orders
            fields:
              customer:  {type: text, required: true, searchable: true, sortable: true, max_length: 100}
              status:    {type: keyword, required: true, filterable: true, facet: true, sortable: true}
              total:     {type: decimal, scale: 2, required: true, filterable: true, sortable: true, stats: true, min: 0}
              items:     {type: integer, required: true, filterable: true, sortable: true, stats: true, min: 1}
              discount:  {type: double, filterable: true, sortable: true, stats: true, min: 0, max: 1}
              balance:   {type: long, filterable: true, sortable: true, stats: true}
              placed_at: {type: timestamp, filterable: true, sortable: true}
              tags:      {type: keyword_list, filterable: true, facet: true}
              gift:      {type: boolean, filterable: true, facet: true}
              created_at: {type: timestamp, sortable: true}
              updated_at: {type: timestamp, sortable: true}
            """;
    static final String[] STATUSES = {"new", "Paid", "paid", "shipped", "Cancelled"};
    static final String[] TAGS = {"rush", "gift-wrap", "b2b", "Fragile", "fragile", "éco"};
    static final String[] NAMES = {"Ada Lovelace", "alan turing", "Grace Hopper", "Émile Borel", "Kurt", "", "zed"};

    /** A row as the test knows it: plain Java values. */
    record Sale(
            long id,
            String customer,
            String status,
            BigDecimal total,
            int items,
            Double discount,
            Long balance,
            Instant placedAt,
            List<String> tags,
            Boolean gift,
            Instant created)
            implements Row {
        @Override
        public long version() {
            return id * 10;
        }

        @Override
        public String json() {
            // rows like a table's, long enough that the index compresses them once it has its dictionary
            return "{\"_id\":\"" + id + "\",\"customer\":\"" + customer + "\",\"status\":\"" + status
                    + "\",\"total\":" + total + ",\"items\":" + items + ",\"tags\":"
                    + tags.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(",", "[", "]"))
                    + ",\"created_at\":\"" + created + "\"}";
        }

        @Override
        public Object value(String field) {
            return switch (field) {
                case "customer" -> customer;
                case "status" -> status;
                case "total" -> total;
                case "items" -> items;
                case "discount" -> discount;
                case "balance" -> balance;
                case "placed_at" -> placedAt;
                case "tags" -> tags;
                case "gift" -> gift;
                case "created_at" -> created;
                case "updated_at" -> created.plusSeconds(id % 7);
                default -> throw new IllegalArgumentException(field);
            };
        }

        /** The value a sort compares, or null when the row has none. */
        Comparable<?> sortValue(String field) {
            return switch (field) {
                case "customer" -> fold(customer);
                case "status" -> fold(status);
                case "total" -> total;
                case "items" -> items;
                case "discount" -> discount;
                case "balance" -> balance;
                case "placed_at" -> placedAt;
                case "created_at" -> created;
                case "updated_at" -> created.plusSeconds(id % 7);
                default -> throw new IllegalArgumentException(field);
            };
        }
    }

    @TempDir
    Path dir;

    TableSchema schema = SchemaFile.parse("orders.yaml", ORDERS);
    IndexLayout layout = new IndexLayout(schema);
    TableIndex index;
    TableSearcher searcher;
    List<Sale> rows = new ArrayList<>();
    Random rnd = new Random(20261126);

    @BeforeEach
    void build() {
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        for (long id = 1; id <= 3000; id++) {
            List<String> tags = new ArrayList<>();
            for (int k = rnd.nextInt(3); k > 0; k--) {
                String t = TAGS[rnd.nextInt(TAGS.length)];
                if (!tags.contains(t)) {
                    tags.add(t);
                }
            }
            rows.add(new Sale(
                    id,
                    NAMES[rnd.nextInt(NAMES.length)] + " " + (char) ('a' + rnd.nextInt(26)) + rnd.nextInt(50),
                    STATUSES[rnd.nextInt(STATUSES.length)],
                    BigDecimal.valueOf(rnd.nextInt(50_000), 2),
                    1 + rnd.nextInt(9),
                    rnd.nextInt(4) == 0 ? null : rnd.nextInt(5) == 0 ? 0.0 : rnd.nextInt(100) / 100.0,
                    rnd.nextInt(5) == 0 ? null : (long) rnd.nextInt(2_000_000) - 1_000_000,
                    rnd.nextInt(6) == 0 ? null : base.plusSeconds(rnd.nextInt(86_400 * 60)),
                    tags,
                    rnd.nextInt(3) == 0 ? null : rnd.nextBoolean(),
                    base.plusSeconds(rnd.nextInt(1000))));
        }
        index = new TableIndex(layout, dir.resolve("index"));
        IndexBuild b = index.startBuild();
        rows.forEach(b::add);
        b.complete("test-db", 0);
        index.swap(b);
        // updates and deletes through the live path too: later segments and deletions are part of every answer
        List<Sale> changed = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Sale o = rows.get(rnd.nextInt(rows.size()));
            Sale n = new Sale(
                    o.id,
                    o.customer,
                    STATUSES[rnd.nextInt(STATUSES.length)],
                    o.total.add(BigDecimal.ONE),
                    o.items,
                    null,
                    o.balance,
                    o.placedAt,
                    o.tags,
                    o.gift,
                    o.created);
            rows.set((int) o.id - 1, n);
            changed.add(n);
        }
        List<Long> deleted = List.of(5L, 77L, 1234L);
        index.apply(changed, deleted);
        rows.removeIf(o -> deleted.contains(o.id));
        searcher = new TableSearcher(index);
    }

    @AfterEach
    void close() {
        index.close();
    }

    static String fold(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        return Normalizer.normalize(lower, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
    }

    /** A random filtered, searched, sorted query with its oracle predicate. */
    record Case(TableQuery query, Predicate<Sale> matches, String text) {}

    Case randomCase(int pageSize) {
        Map<String, Set<String>> anyOf = new HashMap<>();
        Map<String, TableQuery.Range> ranges = new HashMap<>();
        List<Predicate<Sale>> preds = new ArrayList<>();
        List<String> terms = new ArrayList<>();
        if (rnd.nextInt(3) == 0) {
            String s = fold(STATUSES[rnd.nextInt(STATUSES.length)]);
            anyOf.put("status", Set.of(s));
            preds.add(o -> fold(o.status).equals(s));
        }
        if (rnd.nextInt(3) == 0) {
            String t = fold(TAGS[rnd.nextInt(TAGS.length)]);
            anyOf.put("tags", Set.of(t));
            preds.add(o -> o.tags.stream().anyMatch(x -> fold(x).equals(t)));
        }
        if (rnd.nextInt(4) == 0) {
            boolean g = rnd.nextBoolean();
            anyOf.put("gift", Set.of(Boolean.toString(g)));
            preds.add(o -> o.gift != null && o.gift == g);
        }
        if (rnd.nextInt(3) == 0) {
            long lo = rnd.nextInt(30_000);
            long hi = lo + rnd.nextInt(30_000);
            ranges.put("total", new TableQuery.Range(lo, hi));
            preds.add(o -> o.total.movePointRight(2).longValueExact() >= lo
                    && o.total.movePointRight(2).longValueExact() <= hi);
        }
        if (rnd.nextInt(4) == 0) {
            double lo = rnd.nextInt(100) / 100.0;
            ranges.put("discount", new TableQuery.Range(NumericUtils.doubleToSortableLong(lo), null));
            preds.add(o -> o.discount != null && o.discount >= lo);
        }
        if (rnd.nextInt(4) == 0) {
            long hi = rnd.nextInt(1_000_000) - 500_000;
            ranges.put("balance", new TableQuery.Range(null, hi));
            preds.add(o -> o.balance != null && o.balance <= hi);
        }
        if (rnd.nextInt(4) == 0) {
            Instant from = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(rnd.nextInt(86_400 * 60));
            ranges.put("placed_at", new TableQuery.Range(from.toEpochMilli(), null));
            preds.add(o -> o.placedAt != null && !o.placedAt.isBefore(from));
        }
        if (rnd.nextInt(3) == 0) {
            String name = fold(NAMES[rnd.nextInt(NAMES.length - 1)]);
            String term = name.isEmpty() ? "a" : name.substring(rnd.nextInt(name.length()));
            term = term.split(" ")[0];
            if (!term.isEmpty()) {
                terms.add(term);
                String t = term;
                preds.add(o -> fold(o.customer).contains(t));
            }
        }
        List<String> sortable = List.of(
                "customer", "status", "total", "items", "discount", "balance", "placed_at", "created_at", "updated_at");
        List<Order> sort = new ArrayList<>();
        int keys = 1 + rnd.nextInt(3);
        while (sort.size() < keys) {
            String f = sortable.get(rnd.nextInt(sortable.size()));
            if (sort.stream().noneMatch(o -> o.field().equals(f))) {
                sort.add(new Order(f, rnd.nextBoolean()));
            }
        }
        TableQuery q = new TableQuery(1, pageSize, terms, anyOf, ranges, sort, null, List.of("status", "tags", "gift"));
        return new Case(q, o -> preds.stream().allMatch(p -> p.test(o)), q.canonical());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    List<Long> oracle(Case c) {
        List<Order> sort = c.query().sort();
        Comparator<Sale> cmp = null;
        for (Order o : sort) {
            Comparator<Sale> k = (a, b) -> {
                Comparable x = a.sortValue(o.field());
                Comparable y = b.sortValue(o.field());
                if (x == null || y == null) {
                    return x == null ? (y == null ? 0 : -1) : 1; // a row without the value sorts first ascending
                }
                if (x instanceof String xs) {
                    return compareUtf8(xs, (String) y);
                }
                return x.compareTo(y);
            };
            if (o.descending()) {
                k = k.reversed();
            }
            cmp = cmp == null ? k : cmp.thenComparing(k);
        }
        Comparator<Sale> byId = Comparator.comparingLong(Sale::id);
        cmp = cmp.thenComparing(sort.getFirst().descending() ? byId.reversed() : byId);
        return rows.stream().filter(c.matches()).sorted(cmp).map(Sale::id).toList();
    }

    static int compareUtf8(String a, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.compareUnsigned(x, y);
    }

    static long id(String json) {
        return Long.parseLong(json.substring(8, json.indexOf('"', 8)));
    }

    /** Every page of {@code q}, by cursor from the first, until there is no next one. */
    List<Long> walk(TableQuery q) {
        List<Long> out = new ArrayList<>();
        TableQuery next = q;
        for (int pages = 0; pages < 1000; pages++) {
            try (TableIndex.Snapshot s = index.acquire()) {
                Page p = searcher.list(s.searcher(), next);
                p.rows().forEach(j -> out.add(id(j)));
                if (p.nextCursor() == null) {
                    return out;
                }
                next = new TableQuery(
                        1,
                        q.pageSize(),
                        q.terms(),
                        q.anyOf(),
                        q.ranges(),
                        q.sort(),
                        Cursor.decode(p.nextCursor()),
                        List.of());
            }
        }
        throw new AssertionError("no end");
    }

    @Test
    void randomQueriesWalkedByCursorMatchTheOracle() {
        for (int i = 0; i < 150; i++) {
            Case c = randomCase(1 + rnd.nextInt(400));
            assertThat(walk(c.query())).as(c.text()).containsExactlyElementsOf(oracle(c));
        }
    }

    @Test
    void exportsMatchTheOracleInTheIndexOrderAndInAnyOther() throws IOException {
        int merged = 0;
        for (int i = 0; i < 80; i++) {
            Case c = randomCase(50);
            if (i % 2 == 0) { // the default sort, which is the index order: exported by merging the segments
                TableQuery q = c.query();
                c = new Case(
                        new TableQuery(
                                1,
                                q.pageSize(),
                                q.terms(),
                                q.anyOf(),
                                q.ranges(),
                                List.of(new Order("created_at", true)),
                                null,
                                q.facets()),
                        c.matches(),
                        c.text() + " by created_at desc");
            }
            List<String> got = new ArrayList<>();
            try (TableIndex.Snapshot s = index.acquire()) {
                assertThat(s.searcher().getIndexReader().leaves())
                        .as("several segments")
                        .hasSizeGreaterThan(1);
                searcher.export(s.searcher(), c.query(), got::add);
                if (IndexOrderExport.applies(s.searcher(), QueryBuilder.sort(layout, c.query()))) {
                    merged++;
                }
            }
            Map<Long, String> json = new HashMap<>();
            rows.forEach(r -> json.put(r.id(), r.json()));
            assertThat(got)
                    .as(c.text())
                    .isEqualTo(oracle(c).stream().map(json::get).toList());
        }
        assertThat(merged).as("the merge ran").isGreaterThanOrEqualTo(40);
    }

    @Test
    void theRowsAnswersReadAreMostlyCompressed() {
        // else the oracle tests here would not cover reading compressed rows
        boolean compressing = index.search(s -> IndexGeneration.json(s).compressing());
        assertThat(compressing).isTrue();
    }

    @Test
    void pageNumbersDeepAndShallowMatchTheOracle() {
        for (int i = 0; i < 60; i++) {
            Case c = randomCase(50);
            List<Long> expected = oracle(c);
            for (int page : new int[] {1, 2, 45, 59}) {
                TableQuery q = new TableQuery(
                        page,
                        50,
                        c.query().terms(),
                        c.query().anyOf(),
                        c.query().ranges(),
                        c.query().sort(),
                        null,
                        List.of());
                try (TableIndex.Snapshot s = index.acquire()) {
                    Page p = searcher.list(s.searcher(), q);
                    List<Long> ids =
                            p.rows().stream().map(GenericEngineTest::id).toList();
                    int from = Math.min(expected.size(), (page - 1) * 50);
                    assertThat(ids)
                            .as(c.text() + " page " + page)
                            .containsExactlyElementsOf(expected.subList(from, Math.min(expected.size(), from + 50)));
                    assertThat(p.total()).isEqualTo(expected.size());
                    // the cursor a page number hands out continues where that page ends
                    int nextFrom = from + 50;
                    assertThat(p.nextCursor() != null).isEqualTo(nextFrom < expected.size());
                    if (p.nextCursor() != null) {
                        Page next = searcher.list(
                                s.searcher(),
                                new TableQuery(
                                        1,
                                        50,
                                        q.terms(),
                                        q.anyOf(),
                                        q.ranges(),
                                        q.sort(),
                                        Cursor.decode(p.nextCursor()),
                                        List.of()));
                        assertThat(next.rows().stream()
                                        .map(GenericEngineTest::id)
                                        .toList())
                                .as(c.text() + " after page " + page)
                                .containsExactlyElementsOf(
                                        expected.subList(nextFrom, Math.min(expected.size(), nextFrom + 50)));
                    }
                }
            }
        }
    }

    @Test
    void facetsCountWhatFiltersSelect() {
        for (int i = 0; i < 40; i++) {
            Case c = randomCase(10);
            List<Sale> matching = rows.stream().filter(c.matches()).toList();
            try (TableIndex.Snapshot s = index.acquire()) {
                Page p = searcher.list(s.searcher(), c.query());
                assertThat(counts(p.facets().get("status")))
                        .as(c.text())
                        .isEqualTo(byKey(matching, o -> List.of(o.status)));
                assertThat(counts(p.facets().get("tags"))).as(c.text()).isEqualTo(byKey(matching, o -> o.tags));
                assertThat(counts(p.facets().get("gift")))
                        .as(c.text())
                        .isEqualTo(byKey(matching, o -> o.gift == null ? List.of() : List.of(o.gift.toString())));
            }
        }
    }

    /** Facet rows keyed by folded value (the label is one of the spellings). */
    static Map<String, Long> counts(List<Page.FacetCount> facets) {
        Map<String, Long> out = new TreeMap<>();
        facets.forEach(f -> out.merge(fold(f.value()), f.count(), Long::sum));
        return out;
    }

    static Map<String, Long> byKey(List<Sale> rows, java.util.function.Function<Sale, List<String>> values) {
        Map<String, Long> out = new TreeMap<>();
        for (Sale o : rows) {
            values.apply(o).stream().map(GenericEngineTest::fold).distinct().forEach(v -> out.merge(v, 1L, Long::sum));
        }
        return out;
    }

    @Test
    void summariesMatchTheOracle() {
        Summary spec = new Summary(
                List.of("total", "items", "discount", "balance"),
                List.of(new Summary.Pair("total", "items"), new Summary.Pair("balance", "items")),
                "status",
                new Summary.Histogram("total", new long[] {0, 10_000, 25_000}));
        for (int i = 0; i < 40; i++) {
            Case c = i == 0 ? new Case(wholeTable(), o -> true, "all") : randomCase(10);
            List<Sale> m = rows.stream().filter(c.matches()).toList();
            Aggregates a;
            try (TableIndex.Snapshot s = index.acquire()) {
                a = searcher.summarize(s.searcher(), c.query(), spec);
            }
            checkSummary(a, m, c.text());
        }
    }

    @Test
    void wholeTableSummariesFollowRoundsOfWritesIntoTheSameSegments() {
        // the whole-table summary is kept per segment and corrected by the documents each write deletes;
        // these rounds take away extremes (the only value at a minimum or maximum), empty a group, add new
        // extremes, and ask an older reader after a newer one, checking every answer against the rows
        Summary spec = new Summary(
                List.of("total", "items", "discount", "balance"),
                List.of(new Summary.Pair("total", "items"), new Summary.Pair("balance", "items")),
                "status",
                new Summary.Histogram("total", new long[] {0, 10_000, 25_000}));
        TableIndex.Snapshot older = null;
        for (int round = 0; round < 12; round++) {
            List<Sale> changed = new ArrayList<>();
            List<Long> deleted = new ArrayList<>();
            Sale richest = rows.stream()
                    .filter(o -> o.balance != null)
                    .max(Comparator.comparingLong(Sale::balance))
                    .orElseThrow();
            Sale cheapest = rows.stream().min(Comparator.comparing(Sale::total)).orElseThrow();
            switch (round % 4) {
                case 0 -> deleted.add(richest.id);
                case 1 -> changed.add(withBalance(cheapest, richest.balance + 1 + rnd.nextInt(5)));
                case 2 ->
                    rows.stream().filter(o -> fold(o.status).equals("shipped")).forEach(o -> deleted.add(o.id));
                default -> changed.add(withBalance(richest, -2_000_000L));
            }
            for (int i = 0; i < 20; i++) {
                Sale o = rows.get(rnd.nextInt(rows.size()));
                if (!deleted.contains(o.id)) {
                    changed.add(withBalance(o, rnd.nextInt(3) == 0 ? null : (long) rnd.nextInt(1000)));
                }
            }
            index.apply(changed, deleted);
            for (Sale n : changed) {
                rows.replaceAll(o -> o.id == n.id ? n : o);
            }
            rows.removeIf(o -> deleted.contains(o.id));
            checkWholeTable(spec, rows, "round " + round);
            if (round == 5) {
                older = index.acquire();
                olderRows = List.copyOf(rows);
            }
        }
        try (TableIndex.Snapshot s = older) {
            Aggregates a = searcher.summarize(s.searcher(), wholeTable(), spec);
            checkSummary(a, olderRows, "a reader held since round 5");
        }
    }

    private List<Sale> olderRows;

    private Sale withBalance(Sale o, Long balance) {
        return new Sale(
                o.id,
                o.customer,
                o.status,
                o.total.add(BigDecimal.ONE),
                o.items,
                o.discount,
                balance,
                o.placedAt,
                o.tags,
                o.gift,
                o.created);
    }

    private void checkWholeTable(Summary spec, List<Sale> m, String what) {
        try (TableIndex.Snapshot s = index.acquire()) {
            checkSummary(searcher.summarize(s.searcher(), wholeTable(), spec), m, what);
        }
    }

    private static void checkSummary(Aggregates a, List<Sale> m, String what) {
        check(a.total(), m, what);
        Map<String, List<Sale>> groups = new LinkedHashMap<>();
        m.forEach(o ->
                groups.computeIfAbsent(fold(o.status), k -> new ArrayList<>()).add(o));
        Map<String, Aggregates.Acc> got = new HashMap<>();
        a.groups().forEach((label, acc) -> got.put(fold(label), acc));
        assertThat(got.keySet()).as(what).isEqualTo(groups.keySet());
        groups.forEach((k, g) -> check(got.get(k), g, what + " status " + k));
        long[] hist = new long[3];
        for (Sale o : m) {
            long cents = o.total.movePointRight(2).longValueExact();
            hist[cents >= 25_000 ? 2 : cents >= 10_000 ? 1 : 0]++;
        }
        assertThat(a.histogram()).as(what).containsExactly(hist);
    }

    private TableQuery wholeTable() {
        return new TableQuery(
                1, 10, List.of(), Map.of(), Map.of(), List.of(new Order("created_at", true)), null, List.of());
    }

    private static void check(Aggregates.Acc a, List<Sale> m, String what) {
        assertThat(a.count()).as(what).isEqualTo(m.size());
        BigInteger totalCents = m.stream()
                .map(o -> o.total.movePointRight(2).toBigIntegerExact())
                .reduce(BigInteger.ZERO, BigInteger::add);
        assertThat(a.sum(0)).as(what).isEqualTo(totalCents);
        if (!m.isEmpty()) {
            assertThat(a.min(0))
                    .as(what)
                    .isEqualTo(m.stream()
                            .mapToLong(o -> o.total.movePointRight(2).longValueExact())
                            .min()
                            .orElseThrow());
            assertThat(a.max(0))
                    .as(what)
                    .isEqualTo(m.stream()
                            .mapToLong(o -> o.total.movePointRight(2).longValueExact())
                            .max()
                            .orElseThrow());
        }
        assertThat(a.sum(1))
                .as(what)
                .isEqualTo(BigInteger.valueOf(m.stream().mapToLong(Sale::items).sum()));
        List<Double> d = m.stream()
                .map(Sale::discount)
                .filter(java.util.Objects::nonNull)
                .toList();
        assertThat(a.present(2)).as(what).isEqualTo(d.size());
        assertThat(a.doubleSum(2))
                .as(what)
                .isCloseTo(d.stream().mapToDouble(x -> x).sum(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(a.zeros(2)).as(what).isEqualTo(d.stream().filter(x -> x == 0).count());
        List<Long> bal =
                m.stream().map(Sale::balance).filter(java.util.Objects::nonNull).toList();
        assertThat(a.present(3)).as(what).isEqualTo(bal.size());
        assertThat(a.sum(3))
                .as(what)
                .isEqualTo(BigInteger.valueOf(bal.stream().mapToLong(x -> x).sum()));
        if (!bal.isEmpty()) {
            assertThat(a.min(3))
                    .as(what)
                    .isEqualTo(bal.stream().mapToLong(x -> x).min().orElseThrow());
            assertThat(a.max(3))
                    .as(what)
                    .isEqualTo(bal.stream().mapToLong(x -> x).max().orElseThrow());
        }
        BigInteger valueCents = m.stream()
                .map(o -> o.total.movePointRight(2).toBigIntegerExact().multiply(BigInteger.valueOf(o.items)))
                .reduce(BigInteger.ZERO, BigInteger::add);
        assertThat(a.product(0)).as(what).isEqualTo(valueCents);
        BigInteger balItems = m.stream()
                .filter(o -> o.balance != null)
                .map(o -> BigInteger.valueOf(o.balance).multiply(BigInteger.valueOf(o.items)))
                .reduce(BigInteger.ZERO, BigInteger::add);
        assertThat(a.product(1)).as(what).isEqualTo(balItems);
    }

    @Test
    void aChangeToWhatTheIndexHoldsAsksForARebuildAndOtherChangesDoNot() {
        TableIndex.CommitState st = index.committed();
        assertThat(index.usableFor(st, "test-db")).isTrue();
        assertThat(index.usableFor(st, "other-db")).isFalse();
        String limitsOnly = ORDERS.replace("max_length: 100", "max_length: 120");
        assertThat(new IndexLayout(SchemaFile.parse("o.yaml", limitsOnly)).fingerprint())
                .as("limits are checked on write, not held by the index")
                .isEqualTo(layout.fingerprint());
        for (String changed : List.of(
                ORDERS.replace(
                        "items:     {type: integer, required: true, filterable: true, sortable: true,",
                        "items:     {type: integer, required: true, filterable: true, sortable: false,"),
                ORDERS.replace(
                        "gift:      {type: boolean, filterable: true, facet: true}",
                        "gift:      {type: boolean, filterable: true, facet: true}\n  note: {type: text, searchable: true}"),
                ORDERS.replace(
                        "tags:      {type: keyword_list, filterable: true, facet: true}",
                        "tags:      {type: keyword_list, filterable: true}"))) {
            IndexLayout other = new IndexLayout(SchemaFile.parse("o.yaml", changed));
            assertThat(other.fingerprint()).isNotEqualTo(layout.fingerprint());
            index.close();
            index = new TableIndex(other, dir.resolve("index"));
            assertThat(index.usableFor(index.committed(), "test-db"))
                    .as("an index laid out for the old schema is not used for the new one")
                    .isFalse();
        }
    }
}
