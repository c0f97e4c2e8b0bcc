package dev.gridserve.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows' JSON goes into the index plain until the dictionary is trained, compressed after, and reads back exactly. */
class JsonCodecTest {
    @TempDir
    Path dir;

    static final String[] WORDS = {"lamp", "Café", "naïve", "smile😀", "日本語", "\"quoted\"", "back\\slash", "tab\t"};

    static List<String> rows(int n, Random rnd) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder name = new StringBuilder();
            for (int w = 1 + rnd.nextInt(4); w > 0; w--) {
                name.append(WORDS[rnd.nextInt(WORDS.length)]).append(' ');
            }
            out.add("{\"_id\":\"" + i + "\",\"name\":\"" + name + "\",\"price\":" + rnd.nextInt(100_000) / 100.0
                    + ",\"stock\":" + rnd.nextInt(1000) + "}");
        }
        // longer than one varint byte and than zstd's small blocks
        out.add(150, "{\"_id\":\"x\",\"text\":\"" + "abcdefghij😀".repeat(20_000) + "\"}");
        return out;
    }

    /** Writes each row's value as one document, in order, and commits. */
    static List<BytesRef> write(Directory d, JsonCodec codec, List<String> rows) throws IOException {
        List<BytesRef> values = new ArrayList<>();
        try (IndexWriter w = new IndexWriter(d, new IndexWriterConfig(null))) {
            for (String r : rows) {
                BytesRef v = codec.encode(r);
                values.add(v);
                Document doc = new Document();
                doc.add(new BinaryDocValuesField(IndexLayout.JSON, v));
                w.addDocument(doc);
            }
            w.commit();
        }
        return values;
    }

    static List<String> read(Directory d, JsonCodec codec) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryReader r = DirectoryReader.open(d)) {
            assertThat(r.leaves()).hasSize(1);
            LeafReader leaf = r.leaves().get(0).reader();
            BinaryDocValues values = leaf.getBinaryDocValues(IndexLayout.JSON);
            for (int doc = 0; doc < leaf.maxDoc(); doc++) {
                out.add(codec.decode(values, doc));
            }
        }
        return out;
    }

    @Test
    void rowsArePlainUntilTheSampleIsCompleteThenCompressedAndAllReadBackAfterAReopen() throws IOException {
        List<String> rows = rows(400, new Random(7));
        try (Directory d = new MMapDirectory(dir)) {
            JsonCodec codec = JsonCodec.open(d, "test", 100);
            assertThat(codec.compressing()).isFalse();
            List<BytesRef> values = write(d, codec, rows);
            assertThat(codec.compressing()).isTrue();
            assertThat(Files.exists(dir.resolve(JsonCodec.FILE))).isTrue();
            for (int i = 0; i < 99; i++) {
                assertThat(values.get(i).bytes[values.get(i).offset])
                        .as("row %d, before the dictionary", i)
                        .isZero();
            }
            long plainBytes = 0;
            long heldBytes = 0;
            for (int i = 99; i < rows.size(); i++) {
                BytesRef v = values.get(i);
                assertThat(v.bytes[v.offset]).as("row %d, after", i).isEqualTo((byte) 1);
                plainBytes += rows.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                heldBytes += v.length;
            }
            assertThat(heldBytes).as("compressed to under a third").isLessThan(plainBytes / 3);
            assertThat(read(d, codec)).isEqualTo(rows);
        }
        try (Directory d = new MMapDirectory(dir)) {
            JsonCodec reopened = JsonCodec.open(d, "test", 100);
            assertThat(reopened.compressing()).as("the dictionary is read back").isTrue();
            assertThat(read(d, reopened)).isEqualTo(rows);
        }
    }

    @Test
    void fewerRowsThanTheSampleStayPlainWithoutADictionary() throws IOException {
        List<String> rows = rows(200, new Random(8));
        try (Directory d = new MMapDirectory(dir)) {
            JsonCodec codec = JsonCodec.open(d, "test", 1000);
            write(d, codec, rows);
            assertThat(codec.compressing()).isFalse();
            assertThat(Files.exists(dir.resolve(JsonCodec.FILE))).isFalse();
            assertThat(read(d, codec)).isEqualTo(rows);
        }
    }

    @Test
    void aDamagedDictionaryIsRefusedRatherThanMisread() throws IOException {
        try (Directory d = new MMapDirectory(dir)) {
            write(d, JsonCodec.open(d, "test", 100), rows(200, new Random(9)));
        }
        byte[] file = Files.readAllBytes(dir.resolve(JsonCodec.FILE));
        file[file.length / 2] ^= 0x5a;
        Files.write(dir.resolve(JsonCodec.FILE), file);
        try (Directory d = new MMapDirectory(dir)) {
            // a generation that cannot be opened is rebuilt beside it (TableIndex), never served
            assertThatThrownBy(() -> JsonCodec.open(d, "test", 100)).isInstanceOf(IOException.class);
        }
    }
}
