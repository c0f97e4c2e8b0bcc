package dev.gridserve.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.schema.SchemaFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.Bits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bulk-loaded rows above every id the index holds are added without a delete by id; whatever order ranges,
 * single writes, deletes and restarts come in, the index holds exactly one document per row, with its latest
 * values. The oracle is a plain map of id to the last value written.
 */
class BulkWritesTest {
    @TempDir
    Path dir;

    private final IndexLayout layout = new IndexLayout(SchemaFile.parse(
            "items.yaml",
            "table: items\nfields:\n  name: {type: text, searchable: true}\n  created_at: {type: timestamp}\n"));
    private final Map<Long, String> oracle = new TreeMap<>();

    record Item(long id, String name) implements Row {
        @Override
        public long version() {
            return 1;
        }

        @Override
        public String json() {
            return "{\"_id\":\"" + id + "\",\"name\":\"" + name + "\"}";
        }

        @Override
        public Object value(String field) {
            return field.equals("name") ? name : field.equals("created_at") ? java.time.Instant.ofEpochMilli(id) : null;
        }
    }

    private List<Item> range(long from, long to, String tag) {
        List<Item> out = new ArrayList<>();
        for (long id = from; id <= to; id++) {
            out.add(new Item(id, tag + " " + id));
        }
        return out;
    }

    private void write(TableIndex index, List<Item> upserts, List<Long> deletes) {
        index.apply(upserts, deletes);
        upserts.forEach(i -> oracle.put(i.id(), i.name()));
        deletes.forEach(oracle::remove);
    }

    @Test
    void everyRowIsHeldOnceWithItsLatestValues() throws IOException {
        Path path = dir.resolve("index");
        try (TableIndex index = new TableIndex(layout, path)) {
            IndexBuild b = index.startBuild();
            range(1, 100, "built").forEach(b::add);
            range(1, 100, "built").forEach(i -> oracle.put(i.id(), i.name()));
            b.complete("test-db", 0);
            index.swap(b);
            assertHeld(index, "after the build");

            write(index, range(101, 2100, "imported"), List.of());
            assertHeld(index, "a bulk range above every id");
            write(index, range(101, 2100, "re-applied"), List.of());
            assertHeld(index, "the same range applied again");
            write(index, range(2101, 2110, "single"), List.of());
            write(index, range(2101, 3300, "overlapping"), List.of());
            assertHeld(index, "a range over rows written one by one");
            write(index, List.of(), LongStream.rangeClosed(3000, 3300).boxed().toList());
            write(index, range(2900, 4100, "back"), List.of());
            assertHeld(index, "a range bringing deleted ids back");
            List<Item> twice = new ArrayList<>(range(4101, 5100, "first"));
            twice.addAll(range(5000, 5100, "second")); // the same id twice in one batch: the later one wins
            index.apply(twice, List.of());
            twice.forEach(i -> oracle.put(i.id(), i.name()));
            assertHeld(index, "a batch holding an id twice");
            index.commit("test-db", 1);
        }
        try (TableIndex reopened = new TableIndex(layout, path)) {
            write(reopened, range(4500, 6000, "after restart"), List.of());
            assertHeld(reopened, "a range over committed rows, after a restart");
        }
    }

    /**
     * Large batches are written in the background while the next is read, and made visible once: a batch
     * reaching back under ids still being written, a single write, deletes and an id twice in one batch must
     * each still leave the later value, whichever worker gets to its row first.
     */
    @Test
    void batchesWrittenBackToBackKeepTheirOrder() {
        try (TableIndex index = new TableIndex(layout, dir.resolve("index"))) {
            IndexBuild b = index.startBuild();
            b.complete("test-db", 0);
            index.swap(b);
            for (int round = 0; round < 3; round++) {
                long base = round * 20_000L;
                writeUnseen(index, range(base + 1, base + 6000, "first"), List.of());
                writeUnseen(index, range(base + 3000, base + 9000, "reaching back"), List.of());
                writeUnseen(index, range(base + 9001, base + 12_000, "above"), List.of());
                writeUnseen(index, range(base + 10_500, base + 10_500, "single"), List.of());
                writeUnseen(
                        index,
                        range(base + 12_001, base + 14_000, "with deletes"),
                        LongStream.rangeClosed(base + 12_500, base + 12_600)
                                .boxed()
                                .toList());
                List<Item> twice = new ArrayList<>(range(base + 14_001, base + 16_000, "once"));
                twice.addAll(range(base + 15_000, base + 15_100, "twice"));
                writeUnseen(index, twice, List.of());
                index.refresh();
                assertHeld(index, "round " + round + " made visible at once");
            }
        }
    }

    private void writeUnseen(TableIndex index, List<Item> upserts, List<Long> deletes) {
        index.write(upserts, deletes);
        upserts.forEach(i -> oracle.put(i.id(), i.name()));
        deletes.forEach(oracle::remove);
    }

    /** Reads every live document's id and JSON straight from the index and compares with the oracle. */
    private void assertHeld(TableIndex index, String when) {
        Map<Long, List<String>> held = index.search(s -> documents(s));
        Map<Long, List<String>> expected = new HashMap<>();
        oracle.forEach((id, name) -> expected.put(id, List.of("{\"_id\":\"" + id + "\",\"name\":\"" + name + "\"}")));
        List<String> wrong = new ArrayList<>();
        Set<Long> ids = new TreeSet<>(held.keySet());
        ids.addAll(expected.keySet());
        for (long id : ids) {
            if (!Objects.equals(held.get(id), expected.get(id))) {
                wrong.add(id + ": held " + held.get(id) + ", expected " + expected.get(id));
            }
        }
        assertThat(wrong).as(when).isEmpty();
    }

    private static Map<Long, List<String>> documents(IndexSearcher s) throws IOException {
        Map<Long, List<String>> out = new HashMap<>();
        JsonCodec codec = IndexGeneration.json(s);
        for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
            Bits live = leaf.reader().getLiveDocs();
            NumericDocValues ids = leaf.reader().getNumericDocValues(IndexLayout.ID_DV);
            BinaryDocValues json = leaf.reader().getBinaryDocValues(IndexLayout.JSON);
            for (int d = 0; d < leaf.reader().maxDoc(); d++) {
                if (live != null && !live.get(d)) {
                    continue;
                }
                ids.advanceExact(d);
                out.computeIfAbsent(ids.longValue(), k -> new ArrayList<>()).add(codec.decode(json, d));
            }
        }
        return out;
    }
}
