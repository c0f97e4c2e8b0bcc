package dev.gridserve.search;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdDictCompress;
import com.github.luben.zstd.ZstdDictDecompress;
import dev.gridserve.system.NativeZstd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.store.ChecksumIndexInput;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.util.BytesRef;

/**
 * How one index generation holds each row's wire JSON: compressed with zstd and a dictionary trained on the
 * generation's own first rows. Rows of one table repeat the same keys and much of the same vocabulary, which
 * a dictionary captures and per-row compression alone does not: on the bench catalogue a 425-byte row becomes
 * about 106 bytes (318 without a dictionary), and the JSON was 70% of the index. Lucene's binary doc values
 * are stored uncompressed, and stored fields would decompress a whole block per row of a page.
 *
 * <p>Each value starts with one byte saying how it is held, so the rows written before the dictionary exists
 * (and every row where zstd's native library cannot load) stay plain and readable. The dictionary is written
 * to the generation's directory, durably, before any row uses it; a generation holding one cannot be opened
 * without zstd, and is then rebuilt beside it, plain.
 */
final class JsonCodec {
    /** Rows a generation writes plain before it trains its dictionary on them (measured: 1,000 did as well). */
    static final int SAMPLES = 2_000;

    static final String FILE = "json.zdict";
    private static final String HEADER = "GridserveJsonDictionary";
    private static final int DICTIONARY_BYTES = 32 * 1024;
    /** zstd's default; 1 saved 30% of the compression time and cost 7% of the size. */
    private static final int LEVEL = 3;

    private static final byte PLAIN = 0;
    private static final byte ZSTD = 1;
    private static final Cleaner CLEANER = Cleaner.create();

    private final Directory directory;
    private final String name;
    /** The rows kept to train on (guarded by this); null once no dictionary will be trained. */
    private volatile List<byte[]> samples;

    private final int wanted;
    private volatile Dictionary dictionary;

    private JsonCodec(Directory directory, String name, int wanted, Dictionary dictionary) {
        this.directory = directory;
        this.name = name;
        this.wanted = wanted;
        this.dictionary = dictionary;
        this.samples = dictionary == null && NativeZstd.available() ? new ArrayList<>() : null;
    }

    /** The codec of the generation in {@code directory}: its dictionary when it has one. */
    static JsonCodec open(Directory directory, String name, int samples) throws IOException {
        if (!Arrays.asList(directory.listAll()).contains(FILE)) {
            return new JsonCodec(directory, name, samples, null);
        }
        if (!NativeZstd.available()) {
            throw new IOException("the index compresses rows with zstd, whose native library cannot load here");
        }
        byte[] bytes;
        try (ChecksumIndexInput in = directory.openChecksumInput(FILE)) {
            CodecUtil.checkHeader(in, HEADER, 1, 1);
            bytes = new byte[in.readVInt()];
            in.readBytes(bytes, 0, bytes.length);
            CodecUtil.checkFooter(in);
        }
        return new JsonCodec(directory, name, samples, new Dictionary(bytes));
    }

    /** Whether rows are compressed now (false until the dictionary is trained). */
    boolean compressing() {
        return dictionary != null;
    }

    /** The doc value holding {@code json}. */
    BytesRef encode(String json) {
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        Dictionary d = dictionary;
        if (d == null && samples != null) {
            d = sample(utf8);
        }
        if (d != null) {
            BytesRef packed = d.compress(utf8);
            if (packed.length < utf8.length + 1) {
                return packed;
            }
        }
        byte[] out = new byte[utf8.length + 1];
        out[0] = PLAIN;
        System.arraycopy(utf8, 0, out, 1, utf8.length);
        return new BytesRef(out);
    }

    /** The wire JSON a document holds; {@code doc} is within the segment and never before the last one read. */
    String decode(BinaryDocValues values, int doc) throws IOException {
        if (!values.advanceExact(doc)) {
            throw new IllegalStateException("Indexed row without JSON: doc " + doc);
        }
        BytesRef v = values.binaryValue();
        byte kind = v.bytes[v.offset];
        if (kind == PLAIN) {
            return new String(v.bytes, v.offset + 1, v.length - 1, StandardCharsets.UTF_8);
        }
        Dictionary d = dictionary;
        if (kind != ZSTD || d == null) {
            throw new IllegalStateException("Indexed row in an unknown encoding " + kind + ": doc " + doc);
        }
        return d.decompress(v);
    }

    /** Keeps the first rows; the one that completes the sample trains the dictionary. */
    private synchronized Dictionary sample(byte[] utf8) {
        if (dictionary != null || samples == null) {
            return dictionary;
        }
        samples.add(utf8);
        if (samples.size() < wanted) {
            return null;
        }
        byte[][] all = samples.toArray(byte[][]::new);
        samples = null;
        byte[] buffer = new byte[DICTIONARY_BYTES];
        long size = Zstd.trainFromBuffer(all, buffer);
        if (Zstd.isError(size)) {
            // rows too alike or too few bytes to learn from: they stay plain, as small tables do
            TableIndex.log.info(
                    "Index generation {} keeps rows uncompressed: no dictionary ({})", name, Zstd.getErrorName(size));
            return null;
        }
        byte[] bytes = Arrays.copyOf(buffer, (int) size);
        persist(bytes);
        dictionary = new Dictionary(bytes);
        return dictionary;
    }

    /** On disk before any row uses it: a row compressed with a dictionary that a crash lost is unreadable. */
    private void persist(byte[] bytes) {
        try (IndexOutput out = directory.createOutput(FILE, IOContext.DEFAULT)) {
            CodecUtil.writeHeader(out, HEADER, 1);
            out.writeVInt(bytes.length);
            out.writeBytes(bytes, bytes.length);
            CodecUtil.writeFooter(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            directory.sync(List.of(FILE));
            directory.syncMetaData();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A trained dictionary and the zstd contexts that use it, pooled: a context is native memory that is costly
     * to create per row, and a request thread is virtual, so a thread-local one would be made per request. A
     * generation's searches may outlive its closing, so the contexts are freed when the dictionary is no
     * longer reachable, not when the generation closes.
     */
    private static final class Dictionary {
        private final ZstdDictCompress forCompression;
        private final ZstdDictDecompress forDecompression;
        private final Queue<ZstdCompressCtx> compressors = new ConcurrentLinkedQueue<>();
        private final Queue<ZstdDecompressCtx> decompressors = new ConcurrentLinkedQueue<>();

        Dictionary(byte[] bytes) {
            forCompression = new ZstdDictCompress(bytes, LEVEL);
            forDecompression = new ZstdDictDecompress(bytes);
            Queue<ZstdCompressCtx> c = compressors;
            Queue<ZstdDecompressCtx> d = decompressors;
            CLEANER.register(this, () -> {
                c.forEach(ZstdCompressCtx::close);
                d.forEach(ZstdDecompressCtx::close);
            });
        }

        BytesRef compress(byte[] utf8) {
            ZstdCompressCtx ctx = compressors.poll();
            if (ctx == null) {
                ctx = new ZstdCompressCtx()
                        .setLevel(LEVEL)
                        .setMagicless(true) // every value of the generation is a frame of the same kind
                        .setContentSize(false) // the length comes first, as a varint
                        .setChecksum(false) // the segment's own checksum covers the bytes
                        .setDictID(false)
                        .loadDict(forCompression);
            }
            try {
                byte[] out = new byte[1 + 5 + (int) Zstd.compressBound(utf8.length)];
                out[0] = ZSTD;
                int at = writeVInt(out, 1, utf8.length);
                int n = ctx.compressByteArray(out, at, out.length - at, utf8, 0, utf8.length);
                return new BytesRef(out, 0, at + n);
            } finally {
                compressors.offer(ctx);
            }
        }

        String decompress(BytesRef v) {
            int at = v.offset + 1;
            int length = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = v.bytes[at++];
                length |= (b & 0x7f) << shift;
                if (b >= 0) {
                    break;
                }
            }
            ZstdDecompressCtx ctx = decompressors.poll();
            if (ctx == null) {
                ctx = new ZstdDecompressCtx().setMagicless(true).loadDict(forDecompression);
            }
            try {
                byte[] out = new byte[length];
                int n = ctx.decompressByteArray(out, 0, length, v.bytes, at, v.offset + v.length - at);
                if (n != length) {
                    throw new IllegalStateException("Indexed row's JSON is " + n + " bytes, not " + length);
                }
                return new String(out, StandardCharsets.UTF_8);
            } finally {
                decompressors.offer(ctx);
            }
        }

        private static int writeVInt(byte[] out, int at, int value) {
            while ((value & ~0x7f) != 0) {
                out[at++] = (byte) ((value & 0x7f) | 0x80);
                value >>>= 7;
            }
            out[at++] = (byte) value;
            return at;
        }
    }
}
