package dev.gridserve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.changes.ChangeFollower;
import dev.gridserve.changes.ChangeLog;
import dev.gridserve.product.Product;
import dev.gridserve.support.Http;
import dev.gridserve.support.Oracle;
import dev.gridserve.support.PostgresSchema;
import dev.gridserve.support.ProductRows;
import dev.gridserve.support.RandomCatalog;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Random combinations of search, filters, sorts and paging over a few thousand awkward products, each answer
 * compared with a brute-force Java oracle over the same rows read back from PostgreSQL.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OracleTest {
    static final PostgresSchema PG = new PostgresSchema();
    static final String[] SORTS = {"name", "price", "created_at", "updated_at", "rating", "stock", "reviews_count"};

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        PG.register(r);
    }

    @AfterAll
    static void drop() {
        PG.drop();
    }

    @LocalServerPort
    int port;

    @Autowired
    ChangeLog changes;

    @Autowired
    ChangeFollower follower;

    Http http;
    final RandomCatalog catalog = new RandomCatalog(20261125);
    final Random rnd = catalog.random();
    List<Product> all;

    @BeforeEach
    void load() throws Exception {
        http = new Http(port);
        if (ProductRows.all(PG.jdbcUrl()).isEmpty()) {
            long seq = changes.nextSeq();
            catalog.insert(PG.jdbcUrl(), 1_000_000, 3000, seq);
            changes.appendRange(seq, 1_000_000, 1_002_999, new ChangeLog.Audit("seed", "test"));
            assertThat(follower.awaitApplied(seq)).isTrue();
        }
        reloadOracle();
    }

    void reloadOracle() {
        all = ProductRows.all(PG.jdbcUrl());
    }

    @Test
    void wholeCatalogueStatsMatchTheOracle() {
        Oracle.Query everything =
                new Oracle.Query(List.of(), Set.of(), Set.of(), Set.of(), null, null, null, null, null, "price", true);
        checkStats(everything, all);
        http.put("/api/v1/products/" + all.get(0).id(), "{\"stock\": 12345}");
        reloadOracle();
        checkStats(everything, all);
    }

    @Test
    void randomQueriesMatchTheOracle() {
        for (int i = 0; i < 400; i++) {
            checkRandomQuery(i);
        }
    }

    @Test
    void randomQueriesStillMatchAfterWritesThroughTheApi() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String body = """
                    {"name":"%s","description":"%s","price":%s,"category":"%s","stock":%d,"sku":"W-%d",
                     "tags":["%s"]}""".formatted(
                            json(catalog.text(1, 3)),
                            json(catalog.text(1, 5)),
                            (1 + rnd.nextInt(20)) + ".5",
                            catalog.pick(RandomCatalog.CATEGORIES),
                            rnd.nextInt(5),
                            i,
                            catalog.pick(RandomCatalog.TAGS));
            Http.Response r = http.post("/api/v1/products", body);
            assertThat(r.status()).as(r.raw()).isEqualTo(201);
            ids.add(r.json().get("_id").stringValue());
        }
        for (int i = 0; i < 40; i++) {
            long id = all.get(rnd.nextInt(all.size())).id();
            http.put(
                    "/api/v1/products/" + id,
                    "{\"price\": " + (1 + rnd.nextInt(30)) + ", \"name\": \"" + json(catalog.text(1, 3)) + "\"}");
            http.delete("/api/v1/products/" + ids.get(rnd.nextInt(ids.size())));
        }
        reloadOracle();
        Oracle.Query everything =
                new Oracle.Query(List.of(), Set.of(), Set.of(), Set.of(), null, null, null, null, null, "price", true);
        checkStats(everything, all); // whole-catalogue stats come from per-segment aggregates
        for (int i = 0; i < 200; i++) {
            checkRandomQuery(1000 + i);
        }
    }

    @Test
    void deepPageNumbersMatchTheOracle() {
        // offsets past DeepPage.THRESHOLD take the histogram path; unfiltered ones use per-segment histograms
        checkDeepPages(null);
        checkDeepPages(1); // a filter: the histogram is collected from the matches
        // writes add a segment and delete from others, and a new extreme price moves every bucket boundary
        long cheapest = all.get(rnd.nextInt(all.size())).id();
        http.put("/api/v1/products/" + cheapest, "{\"price\": 0.01, \"stock\": 3}");
        http.put("/api/v1/products/" + all.get(rnd.nextInt(all.size())).id(), "{\"price\": 999999}");
        http.delete("/api/v1/products/" + all.get(rnd.nextInt(all.size())).id());
        reloadOracle();
        checkDeepPages(null);
        checkDeepPages(1);
    }

    private void checkDeepPages(Integer minStock) {
        for (String sort : SORTS) {
            for (boolean desc : new boolean[] {true, false}) {
                Oracle.Query q = new Oracle.Query(
                        List.of(), Set.of(), Set.of(), Set.of(), null, null, minStock, null, null, sort, desc);
                List<Product> expected = Oracle.run(all, q);
                int last = (expected.size() + 49) / 50;
                assertThat(last).as("enough matches to page past the threshold").isGreaterThan(42);
                for (int page : new int[] {41, 42, last - 1, last, last + 1}) {
                    String url = url(q, page, 50, Set.of());
                    JsonNode body = http.get(url).json();
                    List<Long> got = new ArrayList<>();
                    body.get("products")
                            .forEach(p -> got.add(Long.parseLong(p.get("_id").stringValue())));
                    List<Long> want = expected.stream()
                            .skip((page - 1) * 50L)
                            .limit(50)
                            .map(Product::id)
                            .toList();
                    assertThat(got).as(url).containsExactlyElementsOf(want);
                    assertThat(body.get("total").asLong()).isEqualTo(expected.size());
                    assertThat(body.get("next_cursor").isNull()).as(url).isEqualTo(page * 50L >= expected.size());
                }
            }
        }
    }

    @Test
    void wholeCatalogueWalksMatchTheOracle() {
        // unfiltered numeric sorts read each page from a value window found in the cached histograms
        for (String sort : SORTS) {
            for (boolean desc : new boolean[] {true, false}) {
                Oracle.Query q = new Oracle.Query(
                        List.of(), Set.of(), Set.of(), Set.of(), null, null, null, null, null, sort, desc);
                List<Long> expected =
                        Oracle.run(all, q).stream().map(Product::id).toList();
                int size = 1 + rnd.nextInt(700);
                List<Long> walked = new ArrayList<>();
                String url = url(q, 1, size, Set.of());
                for (JsonNode page = http.get(url).json(); ; ) {
                    page.get("products")
                            .forEach(p -> walked.add(Long.parseLong(p.get("_id").stringValue())));
                    if (page.get("next_cursor").isNull()) {
                        break;
                    }
                    page = http.get(url + "&cursor=" + page.get("next_cursor").stringValue())
                            .json();
                }
                assertThat(walked).as(url).containsExactlyElementsOf(expected);
                for (int p = 1; p <= 4; p++) { // shallow page numbers, below the deep-page threshold
                    List<Long> got = new ArrayList<>();
                    http.get(url(q, p, 400, Set.of()))
                            .json()
                            .get("products")
                            .forEach(x -> got.add(Long.parseLong(x.get("_id").stringValue())));
                    assertThat(got)
                            .containsExactlyElementsOf(expected.stream()
                                    .skip((p - 1) * 400L)
                                    .limit(400)
                                    .toList());
                }
            }
        }
    }

    @Test
    void cursorWalksVisitEveryRowOnceInOrder() {
        for (int i = 0; i < 25; i++) {
            Oracle.Query q = randomQuery();
            List<Product> expected = Oracle.run(all, q);
            int size = 1 + rnd.nextInt(400);
            List<Long> walked = new ArrayList<>();
            String url = url(q, 1, size, Set.of());
            JsonNode page = http.get(url).json();
            int pageNo = 1;
            while (true) {
                assertThat(page.get("page").asInt()).isEqualTo(pageNo);
                page.get("products")
                        .forEach(p -> walked.add(Long.parseLong(p.get("_id").stringValue())));
                if (page.get("next_cursor").isNull()) {
                    break;
                }
                pageNo++;
                page = http.get(url + "&cursor=" + page.get("next_cursor").stringValue())
                        .json();
            }
            assertThat(walked)
                    .as(url)
                    .containsExactlyElementsOf(
                            expected.stream().map(Product::id).toList());
        }
    }

    /** Sorts on two or three keys, by page number and by cursor, against the oracle's chained comparator. */
    @Test
    void multiColumnSortsPageAndWalkInOrder() {
        for (int i = 0; i < 30; i++) {
            Oracle.Query base = randomQuery();
            List<String> keys = new ArrayList<>(List.of(SORTS));
            keys.remove(base.sortBy());
            java.util.Collections.shuffle(keys, rnd);
            List<String> thenBy = keys.subList(0, 1 + rnd.nextInt(2)).stream()
                    .map(k -> k + (rnd.nextBoolean() ? ":desc" : ":asc"))
                    .toList();
            Oracle.Query q = new Oracle.Query(
                    base.terms(),
                    base.categories(),
                    base.brands(),
                    base.tags(),
                    base.minPrice(),
                    base.maxPrice(),
                    base.minStock(),
                    base.maxStock(),
                    base.minRating(),
                    base.sortBy(),
                    base.desc(),
                    thenBy);
            List<Long> expected = Oracle.run(all, q).stream().map(Product::id).toList();
            int size = 1 + rnd.nextInt(200);
            int pageNo = 1 + rnd.nextInt(3);
            JsonNode numbered = http.get(url(q, pageNo, size, Set.of())).json();
            List<Long> got = new ArrayList<>();
            numbered.get("products")
                    .forEach(p -> got.add(Long.parseLong(p.get("_id").stringValue())));
            int from = Math.min(expected.size(), (pageNo - 1) * size);
            assertThat(got)
                    .as(url(q, pageNo, size, Set.of()))
                    .containsExactlyElementsOf(expected.subList(from, Math.min(expected.size(), from + size)));

            String url = url(q, 1, size, Set.of());
            List<Long> walked = new ArrayList<>();
            JsonNode page = http.get(url).json();
            while (true) {
                page.get("products")
                        .forEach(p -> walked.add(Long.parseLong(p.get("_id").stringValue())));
                if (page.get("next_cursor").isNull()) {
                    break;
                }
                page = http.get(url + "&cursor=" + page.get("next_cursor").stringValue())
                        .json();
            }
            assertThat(walked).as(url).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void cursorNeverSkipsOrRepeatsUnchangedRowsWhileOthersChange() {
        Set<Long> before = new HashSet<>();
        all.forEach(p -> before.add(p.id()));
        List<Long> walked = new ArrayList<>();
        Set<Long> deleted = new HashSet<>();
        String url = "/api/v1/products?sort_by=price&sort_order=asc&page_size=97";
        JsonNode page = http.get(url).json();
        int n = 0;
        while (true) {
            page.get("products")
                    .forEach(p -> walked.add(Long.parseLong(p.get("_id").stringValue())));
            // between pages: insert new rows and delete rows both behind and ahead of the cursor
            http.post("/api/v1/products", """
                    {"name":"churn","description":"churn","price":%d,"category":"Toys","stock":1,"sku":"CH-%d"}""".formatted(1 + rnd.nextInt(25), n++));
            Long victim = all.get(rnd.nextInt(all.size())).id();
            if (http.delete("/api/v1/products/" + victim).status() == 204) {
                deleted.add(victim);
            }
            if (page.get("next_cursor").isNull()) {
                break;
            }
            page = http.get(url + "&cursor=" + page.get("next_cursor").stringValue())
                    .json();
        }
        assertThat(new HashSet<>(walked)).as("no repeats").hasSize(walked.size());
        Set<Long> unchanged = new HashSet<>(before);
        unchanged.removeAll(deleted);
        assertThat(walked).as("no unchanged row skipped").containsAll(unchanged);
        reloadOracle();
    }

    private void checkRandomQuery(int i) {
        Oracle.Query q = randomQuery();
        List<Product> expected = Oracle.run(all, q);
        int size = 1 + rnd.nextInt(60);
        int maxPage = Math.max(1, (expected.size() + size - 1) / size);
        int page = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(maxPage + 1) : 1;
        Set<String> facets = rnd.nextInt(3) == 0 ? Set.of("category", "brand", "tags") : Set.of();
        String url = url(q, page, size, facets);
        Http.Response r = http.get(url);
        assertThat(r.status()).as(url + " " + r.raw()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("total").asLong()).as("total of " + url).isEqualTo(expected.size());
        assertThat(body.get("total_pages").asLong()).isEqualTo((expected.size() + size - 1) / size);
        List<Long> want = expected.stream()
                .skip((long) (page - 1) * size)
                .limit(size)
                .map(Product::id)
                .toList();
        List<Long> got = new ArrayList<>();
        body.get("products").forEach(p -> got.add(Long.parseLong(p.get("_id").stringValue())));
        assertThat(got).as("page of " + url).containsExactlyElementsOf(want);
        assertThat(body.get("next_cursor").isNull()).isEqualTo((long) page * size >= expected.size());
        for (String f : facets) {
            Map<String, Long> counts = new TreeMap<>();
            body.get("facets")
                    .get(f)
                    .forEach(c -> counts.put(
                            c.get("value").stringValue(), c.get("count").asLong()));
            assertThat(counts).as(f + " facet of " + url).isEqualTo(Oracle.facet(expected, f));
        }
        if (i % 10 == 0) {
            checkStats(q, expected);
        }
    }

    private void checkStats(Oracle.Query q, List<Product> expected) {
        JsonNode s = http.get(url(q, 1, 1, Set.of()).replace("/api/v1/products?", "/api/v1/products/stats/summary?"))
                .json();
        assertThat(s.get("total_products").asLong()).isEqualTo(expected.size());
        assertThat(s.get("total_stock").asLong())
                .isEqualTo(expected.stream().mapToLong(Product::stock).sum());
        assertThat(s.get("out_of_stock").asLong())
                .isEqualTo(expected.stream().filter(p -> p.stock() == 0).count());
        long inventory =
                expected.stream().mapToLong(p -> p.priceCents() * p.stock()).sum();
        assertThat(s.get("inventory_value").decimalValue()).isEqualByComparingTo(BigDecimal.valueOf(inventory, 2));
        if (!expected.isEmpty()) {
            long min = expected.stream().mapToLong(Product::priceCents).min().orElseThrow();
            assertThat(s.get("min_price").decimalValue()).isEqualByComparingTo(BigDecimal.valueOf(min, 2));
        }
        // one line per category as the category filter sees it, under its most frequent spelling
        Map<String, Long> perCategory = new TreeMap<>();
        s.get("categories")
                .forEach(c -> perCategory.put(
                        c.get("category").stringValue(), c.get("count").asLong()));
        assertThat(perCategory).isEqualTo(Oracle.facet(expected, "category"));
    }

    private Oracle.Query randomQuery() {
        List<String> terms = new ArrayList<>();
        for (int t = rnd.nextInt(3); t > 0; t--) {
            terms.add(randomTerm());
        }
        Set<String> cats = pickSome(RandomCatalog.CATEGORIES, 2);
        Set<String> brands = pickSome(RandomCatalog.BRANDS, 1);
        Set<String> tags = pickSome(RandomCatalog.TAGS, 2);
        BigDecimal minP = rnd.nextInt(4) == 0 ? BigDecimal.valueOf(100 + rnd.nextInt(1500), 2) : null;
        BigDecimal maxP = rnd.nextInt(4) == 0 ? BigDecimal.valueOf(1500 + rnd.nextInt(1500), 2) : null;
        Integer minS = rnd.nextInt(5) == 0 ? rnd.nextInt(10) : null;
        Integer maxS = rnd.nextInt(5) == 0 ? 10 + rnd.nextInt(20) : null;
        Double minR = rnd.nextInt(5) == 0 ? rnd.nextInt(11) / 2.0 : null;
        String sort = !terms.isEmpty() && rnd.nextInt(3) == 0 ? "relevance" : SORTS[rnd.nextInt(SORTS.length)];
        return new Oracle.Query(
                List.copyOf(new LinkedHashSet<>(terms.stream().map(Oracle::fold).toList())),
                fold(cats),
                fold(brands),
                fold(tags),
                minP,
                maxP,
                minS,
                maxS,
                minR,
                sort,
                rnd.nextBoolean());
    }

    /** Pieces of real names/descriptions/SKUs (1-10 code points, odd case), sometimes a miss. */
    private String randomTerm() {
        if (rnd.nextInt(10) == 0) {
            return "zq" + rnd.nextInt(100);
        }
        Product p = all.get(rnd.nextInt(all.size()));
        String[] sources = {p.name(), p.description(), p.sku()};
        // spaces dropped, so some pieces span two words and must not match
        int[] src = sources[rnd.nextInt(3)].replace(" ", "").codePoints().toArray();
        int len = 1 + rnd.nextInt(Math.min(10, src.length));
        int start = rnd.nextInt(src.length - len + 1);
        String t = new String(src, start, len);
        return rnd.nextBoolean() ? t.toUpperCase() : t;
    }

    private Set<String> pickSome(String[] values, int max) {
        Set<String> out = new LinkedHashSet<>();
        if (rnd.nextInt(3) == 0) {
            for (int k = 1 + rnd.nextInt(max); k > 0; k--) {
                String v = values[rnd.nextInt(values.length)];
                out.add(rnd.nextBoolean() ? v.toLowerCase() : v);
            }
        }
        return out;
    }

    private static Set<String> fold(Set<String> s) {
        Set<String> out = new LinkedHashSet<>();
        s.forEach(v -> out.add(Oracle.fold(v)));
        return out;
    }

    private final Map<Oracle.Query, Map<String, List<String>>> rawParams = new HashMap<>();

    private String url(Oracle.Query q, int page, int size, Set<String> facets) {
        StringBuilder sb = new StringBuilder("/api/v1/products?page=" + page + "&page_size=" + size);
        if (!q.terms().isEmpty()) {
            sb.append("&search=").append(enc(String.join(" ", q.terms())));
        }
        q.categories().forEach(c -> sb.append("&category=").append(enc(c)));
        q.brands().forEach(c -> sb.append("&brand=").append(enc(c)));
        if (!q.tags().isEmpty()) {
            sb.append("&tags=").append(enc(String.join(",", q.tags())));
        }
        if (q.minPrice() != null) {
            sb.append("&min_price=").append(q.minPrice());
        }
        if (q.maxPrice() != null) {
            sb.append("&max_price=").append(q.maxPrice());
        }
        if (q.minStock() != null) {
            sb.append("&min_stock=").append(q.minStock());
        }
        if (q.maxStock() != null) {
            sb.append("&max_stock=").append(q.maxStock());
        }
        if (q.minRating() != null) {
            sb.append("&min_rating=").append(q.minRating());
        }
        if (q.thenBy().isEmpty()) {
            sb.append("&sort_by=").append(q.sortBy()).append("&sort_order=").append(q.desc() ? "desc" : "asc");
        } else {
            sb.append("&sort=").append(q.sortBy()).append(q.desc() ? ":desc" : ":asc");
            q.thenBy().forEach(t -> sb.append(',').append(t));
        }
        if (!facets.isEmpty()) {
            sb.append("&facets=").append(String.join(",", facets));
        }
        return sb.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
