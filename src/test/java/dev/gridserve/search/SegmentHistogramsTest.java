package dev.gridserve.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

/**
 * The whole-index histogram kept per segment, as deletes and updates land refresh after refresh and as older
 * readers are still searched: always the live documents' values, counted here by brute force from a map of what
 * the index should hold.
 */
class SegmentHistogramsTest {
    @Test
    void incrementalHistogramsMatchTheLiveDocumentsAfterEveryRefresh() throws Exception {
        Random random = new Random(42);
        Map<String, Long> expected = new HashMap<>(); // id -> value: the oracle
        SegmentHistograms cached = new SegmentHistograms();
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
                IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig(null))) {
            for (int i = 0; i < 3_000; i++) {
                put(writer, expected, "d" + i, random.nextInt(1_000_000));
                if (i % 1_000 == 999) {
                    writer.commit(); // several segments
                }
            }
            List<DirectoryReader> readers = new ArrayList<>();
            DirectoryReader reader = DirectoryReader.open(writer);
            for (int round = 0; round < 40; round++) {
                for (int k = 0; k < 1 + random.nextInt(30); k++) {
                    String id = "d" + random.nextInt(3_000);
                    if (random.nextInt(4) == 0) {
                        writer.deleteDocuments(new Term("id", id));
                        expected.remove(id);
                    } else {
                        put(writer, expected, id, random.nextInt(1_000_000));
                    }
                }
                DirectoryReader newer = DirectoryReader.openIfChanged(reader, writer);
                if (newer != null) {
                    readers.add(reader);
                    reader = newer;
                }
                check(reader, cached, expected);
                if (round % 7 == 6) { // an older reader, searched after newer ones were
                    check(readers.get(random.nextInt(readers.size())), cached, null, false);
                }
            }
            for (DirectoryReader r : readers) {
                r.close();
            }
            reader.close();
        }
    }

    private static void put(IndexWriter writer, Map<String, Long> expected, String id, long value) throws Exception {
        Document d = new Document();
        d.add(new StringField("id", id, Field.Store.NO));
        d.add(new LongPoint("f", value));
        d.add(new NumericDocValuesField("f", value));
        writer.updateDocument(new Term("id", id), d);
        expected.put(id, value);
    }

    private static void check(DirectoryReader reader, SegmentHistograms cached, Map<String, Long> expected)
            throws Exception {
        check(reader, cached, expected, true);
    }

    /** The histogram against brute force over {@code expected} ({@code exact}: or only against a fresh count). */
    private static void check(
            DirectoryReader reader, SegmentHistograms cached, Map<String, Long> expected, boolean exact)
            throws Exception {
        IndexSearcher s = new IndexSearcher(reader);
        ValueHistogram h = ValueHistogram.of(s, new MatchAllDocsQuery(), "f", cached);
        ValueHistogram fresh = ValueHistogram.of(s, new MatchAllDocsQuery(), "f", new SegmentHistograms());
        assertThat(h.counts).isEqualTo(fresh.counts);
        assertThat(h.total).isEqualTo(reader.numDocs());
        if (exact) {
            long[] brute = new long[ValueHistogram.BUCKETS];
            for (long v : expected.values()) {
                brute[(int) ((v - h.min) >>> h.shift)]++;
            }
            assertThat(h.counts).isEqualTo(brute);
            assertThat(h.total).isEqualTo(expected.size());
        }
    }
}
