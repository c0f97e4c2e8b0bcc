package dev.gridserve.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.schema.SchemaFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.search.IndexSearcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Page numbers deep into a text sort (past the offset where deep pages stop collecting every row before the
 * page), over an index of many segments with deletions, many rows sharing one sort value (ties broken by id
 * across segments), rows without the value, and accents and case that fold together. Every page is compared
 * with a brute-force oracle that sorts the rows' own values.
 */
class TextSortDeepPagesTest {
    static final String BOOKS = """
            table: books
            fields:
              title:  {type: text, searchable: true, sortable: true, max_length: 100}
              shelf:  {type: keyword, required: true, filterable: true, sortable: true}
              pages:  {type: integer, required: true, filterable: true, min: 1}
              created_at: {type: timestamp, sortable: true}
            """;
    static final String[] WORDS = {"Émile", "emile", "Zola", "zola", "Ángel", "abc", "Abc", "b", "ß", "日本", "A b"};
    static final String[] SHELVES = {"fiction", "poetry", "history"};

    record Book(long id, String title, String shelf, int pages, Instant created) implements Row {
        @Override
        public long version() {
            return id;
        }

        @Override
        public String json() {
            return "{\"_id\":\"" + id + "\",\"shelf\":\"" + shelf + "\"}";
        }

        @Override
        public Object value(String field) {
            return switch (field) {
                case "title" -> title;
                case "shelf" -> shelf;
                case "pages" -> pages;
                case "created_at" -> created;
                default -> null;
            };
        }
    }

    static final int SEGMENTS = 6;

    @TempDir
    Path dir;

    /**
     * One index per segment, searched together: Lucene's merges would otherwise decide how many segments the
     * test sees. A row rewritten moves to another segment, as a live update does.
     */
    List<TableIndex> indexes = new ArrayList<>();

    List<TableIndex.Snapshot> held = new ArrayList<>();
    IndexSearcher searcher;
    TableSearcher engine;
    Map<Long, Book> rows = new HashMap<>();
    Map<Long, Integer> segmentOf = new HashMap<>();
    Random rnd = new Random(20261127);
    long nextId = 1;

    Book book(long id) {
        String title = rnd.nextInt(8) == 0
                ? null
                : rnd.nextInt(3) == 0
                        ? WORDS[rnd.nextInt(WORDS.length)] // shared by hundreds of rows
                        : WORDS[rnd.nextInt(WORDS.length)] + " " + rnd.nextInt(400);
        return new Book(
                id,
                title,
                SHELVES[rnd.nextInt(SHELVES.length)],
                1 + rnd.nextInt(900),
                Instant.parse("2026-01-01T00:00:00Z").plusSeconds(rnd.nextInt(100_000)));
    }

    /**
     * Most rows in one segment, so that it holds more matches than twice a deep page's end and has to drop the
     * rows beyond it while collecting; the others are small.
     */
    int segment() {
        return rnd.nextInt(10) < 6 ? 0 : 1 + rnd.nextInt(SEGMENTS - 1);
    }

    @BeforeEach
    void build() throws IOException {
        IndexLayout layout = new IndexLayout(SchemaFile.parse("books.yaml", BOOKS));
        List<List<Book>> initial = new ArrayList<>();
        for (int i = 0; i < SEGMENTS; i++) {
            indexes.add(new TableIndex(layout, dir.resolve("index" + i)));
            initial.add(new ArrayList<>());
        }
        for (int i = 0; i < 14_000; i++) {
            Book x = book(nextId++);
            int seg = segment();
            rows.put(x.id, x);
            segmentOf.put(x.id, seg);
            initial.get(seg).add(x);
        }
        for (int i = 0; i < SEGMENTS; i++) {
            IndexBuild b = indexes.get(i).startBuild();
            initial.get(i).forEach(b::add);
            b.complete("test-db", 0);
            indexes.get(i).swap(b);
        }
        for (int i = 0; i < 300; i++) {
            long id = 1 + rnd.nextInt((int) nextId - 1);
            if (!rows.containsKey(id)) {
                continue;
            }
            indexes.get(segmentOf.get(id)).apply(List.of(), List.of(id));
            if (rnd.nextInt(4) == 0) {
                rows.remove(id);
                continue;
            }
            Book n = book(id);
            int seg = segment();
            indexes.get(seg).apply(List.of(n), List.of());
            rows.put(id, n);
            segmentOf.put(id, seg);
        }
        List<IndexReader> readers = new ArrayList<>();
        for (TableIndex index : indexes) {
            TableIndex.Snapshot s = index.acquire();
            held.add(s);
            readers.add(s.searcher().getIndexReader());
        }
        searcher = new IndexGeneration.Searcher(
                new MultiReader(readers.toArray(IndexReader[]::new), false),
                IndexGeneration.json(held.getFirst().searcher()));
        engine = new TableSearcher(indexes.getFirst());
    }

    @AfterEach
    void close() {
        held.forEach(TableIndex.Snapshot::close);
        indexes.forEach(TableIndex::close);
    }

    /** Lower case without accents, the rows' own way; a row without a title sorts as empty text. */
    static byte[] sortKey(Book b) {
        if (b.title == null) {
            return new byte[0];
        }
        String lower = b.title.toLowerCase(Locale.ROOT);
        String plain = Normalizer.normalize(lower, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        return plain.getBytes(StandardCharsets.UTF_8);
    }

    List<Long> oracle(String field, String shelf, boolean descending) {
        Comparator<Book> asc = (a, b) -> {
            int c = field.equals("title") ? Arrays.compareUnsigned(sortKey(a), sortKey(b)) : a.shelf.compareTo(b.shelf);
            return c != 0 ? c : Long.compare(a.id, b.id);
        };
        return rows.values().stream()
                .filter(b -> shelf == null || b.shelf.equals(shelf))
                .sorted(descending ? asc.reversed() : asc)
                .map(Book::id)
                .toList();
    }

    static long id(String json) {
        return Long.parseLong(json.substring(8, json.indexOf('"', 8)));
    }

    Page page(String field, int page, int size, String shelf, boolean descending, Cursor cursor) {
        TableQuery q = new TableQuery(
                cursor == null ? page : 1,
                size,
                List.of(),
                shelf == null ? Map.of() : Map.of("shelf", Set.of(shelf)),
                Map.of(),
                List.of(new Order(field, descending)),
                cursor,
                List.of());
        return engine.list(searcher, q);
    }

    @Test
    void theIndexHasManySegments() {
        assertThat(searcher.getIndexReader().leaves()).hasSizeGreaterThanOrEqualTo(SEGMENTS);
        assertThat(searcher.getIndexReader().numDeletedDocs()).isPositive();
    }

    @Test
    void deepPagesOfATextSortMatchTheOracle() {
        check("title");
    }

    @Test
    void deepPagesOfAKeywordSortWhereMostRowsTieMatchTheOracle() {
        check("shelf");
    }

    void check(String field) {
        for (String shelf : new String[] {null, "poetry"}) {
            for (boolean descending : new boolean[] {false, true}) {
                List<Long> expected = oracle(field, shelf, descending);
                for (int size : new int[] {50, 7, 1000}) {
                    int pages = (expected.size() + size - 1) / size;
                    List<Integer> asked = new ArrayList<>(List.of(pages, pages + 1, pages - 1));
                    for (int i = 0; i < 12; i++) {
                        asked.add(1 + rnd.nextInt(pages + 1));
                    }
                    for (int p : asked) {
                        String what = field + ", shelf " + shelf + (descending ? " desc" : " asc") + " size " + size
                                + " page " + p;
                        Page got = page(field, p, size, shelf, descending, null);
                        int from = Math.min(expected.size(), (p - 1) * size);
                        int to = Math.min(expected.size(), from + size);
                        assertThat(got.rows().stream().map(TextSortDeepPagesTest::id))
                                .as(what)
                                .containsExactlyElementsOf(expected.subList(from, to));
                        assertThat(got.total()).as(what).isEqualTo(expected.size());
                        assertThat(got.nextCursor() != null).as(what).isEqualTo(to < expected.size());
                        if (got.nextCursor() != null) {
                            Page next = page(field, 1, size, shelf, descending, Cursor.decode(got.nextCursor()));
                            assertThat(next.rows().stream().map(TextSortDeepPagesTest::id))
                                    .as(what + ", then its cursor")
                                    .containsExactlyElementsOf(
                                            expected.subList(to, Math.min(expected.size(), to + size)));
                        }
                    }
                }
            }
        }
    }
}
