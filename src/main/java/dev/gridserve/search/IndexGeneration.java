package dev.gridserve.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.store.NRTCachingDirectory;

/**
 * One Lucene index in its own directory: its only IndexWriter and a SearcherManager over it. Nothing is
 * committed implicitly (commitOnClose is off): closing without {@link #commit} keeps the last commit exactly
 * as it was, so a half-built or half-applied state never becomes what a restart opens.
 */
final class IndexGeneration implements AutoCloseable {
    final String name;
    final Path path;
    private final Directory directory;
    final IndexWriter writer;
    final SearcherManager searchers;

    private final Documents documents;
    private final double ramBufferMb;
    private final HighestId highestId = new HighestId();

    private IndexGeneration(
            String name, Path path, Directory directory, IndexWriter writer, Documents documents, double ramBufferMb)
            throws IOException {
        this.name = name;
        this.ramBufferMb = ramBufferMb;
        this.documents = documents;
        this.path = path;
        this.directory = directory;
        this.writer = writer;
        this.searchers = new SearcherManager(writer, new SearcherFactory() {
            @Override
            public IndexSearcher newSearcher(IndexReader reader, IndexReader previous) {
                IndexSearcher s = new Searcher(reader, documents.json());
                s.setTimeout(QueryDeadline.LUCENE); // each request's own time limit, checked while collecting
                return s;
            }
        });
    }

    /** A searcher of one generation, which knows how that generation holds the rows' JSON. */
    static final class Searcher extends IndexSearcher {
        final JsonCodec json;

        Searcher(IndexReader reader, JsonCodec json) {
            super(reader);
            this.json = json;
        }
    }

    /** How the generation {@code s} searches holds the rows' JSON. */
    static JsonCodec json(IndexSearcher s) {
        if (s instanceof Searcher g) {
            return g.json;
        }
        throw new IllegalStateException("Not a searcher of an index generation: " + s);
    }

    /**
     * Segments up to this size that a refresh flushes (or a merge of such) stay in memory until a commit writes
     * them, at most {@link #SMALL_SEGMENTS_HELD_MB} of them. Under a steady write rate every refresh flushed a
     * segment of ~15 files that merges deleted again (~500 files created and deleted a second at 300 writes/s):
     * the follower spent ~17% of the machine in ext4's inode allocation. Kept in memory, writers alone managed
     * 49-60% more writes/s and reads alone were unchanged, measured with both variants running at once
     * (bench/results/writes-profile-2026-12-07.md).
     */
    private static final double SMALL_SEGMENT_MB = 1;

    private static final double SMALL_SEGMENTS_HELD_MB = 32;

    /** Opens (or creates, when empty) the index in {@code path}; fails on a corrupt or incompatible one. */
    static IndexGeneration open(String name, Path path, double ramBufferMb, IndexLayout layout, int samples)
            throws IOException {
        Directory dir = new NRTCachingDirectory(new MMapDirectory(path), SMALL_SEGMENT_MB, SMALL_SEGMENTS_HELD_MB);
        try {
            Documents documents = new Documents(layout, JsonCodec.open(dir, name, samples));
            return new IndexGeneration(
                    name, path, dir, new IndexWriter(dir, config(ramBufferMb)), documents, ramBufferMb);
        } catch (IOException | RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    /** The index document of {@code row}. */
    Document document(Row row) {
        return documents.toDocument(row);
    }

    private static IndexWriterConfig config(double ramBufferMb) {
        IndexWriterConfig c = new IndexWriterConfig(null);
        c.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
        c.setCommitOnClose(false);
        c.setRAMBufferSizeMB(ramBufferMb);
        // The default order (newest first) is the index order, so the default first page stops early.
        c.setIndexSort(new Sort(
                new SortField(IndexLayout.CREATED, SortField.Type.LONG, true),
                new SortField(IndexLayout.ID_DV, SortField.Type.LONG, true)));
        return c;
    }

    /** What the last commit recorded about itself. */
    Map<String, String> commitData() {
        Map<String, String> m = new HashMap<>();
        Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
        if (live != null) {
            live.forEach(e -> m.put(e.getKey(), e.getValue()));
        }
        return m;
    }

    /** Batches at least this large are turned into documents on every core (bulk-loaded ranges). */
    private static final int PARALLEL_BATCH = 1000;

    /** Rows per chunk handed to the background workers: one hand-over per chunk, not per row. */
    private static final int CHUNK = 256;

    private final BackgroundAdds background = new BackgroundAdds();

    /** The highest id written in the background since the last drain; later rows may follow only above it. */
    private long backgroundHighest = Long.MIN_VALUE;

    /**
     * Current rows replace their documents, deleted ids lose theirs; visible after the next {@link #refresh}. With
     * {@code appendNew}, rows above the highest id ever written are added without a delete by id (only this
     * generation's writes may be running: a build's own workers could be adding the same ids). A large batch of
     * distinct ids, all above those still being written, is written in the background while the caller reads the
     * next one (bulk loads come in ascending ids); anything else first waits for what is being written.
     */
    synchronized void write(Collection<? extends Row> upserts, Collection<Long> deletes, boolean appendNew) {
        try {
            boolean bulk = upserts.size() >= PARALLEL_BATCH;
            if (bulk) {
                // a bulk load flushes the few, large segments a rebuild does instead of many that merges redo
                writer.getConfig().setRAMBufferSizeMB(Math.max(ramBufferMb, bulkRamBufferMb()));
            }
            if (upserts.isEmpty() && deletes.isEmpty()) {
                return; // the end of a range: nothing to order after what is being written
            }
            // an id twice in one batch: in order, one by one, so the later row is what stays
            boolean distinct = distinctIds(upserts);
            // a small batch goes behind a bulk load's (the end of a range), not in front of it
            boolean handOver = distinct && (bulk || background.active());
            if (!handOver || lowestId(upserts) <= backgroundHighest || appendNew && !highestId.known()) {
                // in order after what is being written (a later row of an id may be among it); the highest id
                // is learnt from the writer, which must then hold everything written so far
                drain();
            }
            long highest = appendNew ? highestId.get(writer) : Long.MAX_VALUE;
            highestId.saw(upserts);
            if (handOver) {
                inBackground(upserts, highest);
            } else {
                upserts.forEach(r -> put(r, distinct && r.id() > highest));
            }
            if (!deletes.isEmpty()) {
                drain();
                for (long id : deletes) {
                    writer.deleteDocuments(new Term(IndexLayout.ID, Long.toString(id)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds rows of a build: distinct ids, none of them in the generation yet. */
    synchronized void addNew(List<? extends Row> rows) {
        inBackground(rows, Long.MIN_VALUE);
    }

    private void inBackground(Collection<? extends Row> rows, long highest) {
        List<? extends Row> all = List.copyOf(rows);
        // before handing over: a hand-over that fails half-way leaves chunks running that a retry must wait for
        backgroundHighest = Math.max(backgroundHighest, highestOf(all));
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<? extends Row> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            background.submit(() -> chunk.forEach(r -> put(r, r.id() > highest)));
        }
    }

    /** Waits for every row handed to the background workers; throws if one of them could not be written. */
    synchronized void drain() {
        background.drain();
        backgroundHighest = Long.MIN_VALUE;
    }

    private static long lowestId(Collection<? extends Row> rows) {
        long min = Long.MAX_VALUE;
        for (Row r : rows) {
            min = Math.min(min, r.id());
        }
        return min;
    }

    private static long highestOf(Collection<? extends Row> rows) {
        long max = Long.MIN_VALUE;
        for (Row r : rows) {
            max = Math.max(max, r.id());
        }
        return max;
    }

    private static boolean distinctIds(Collection<? extends Row> rows) {
        Set<Long> seen = new HashSet<>(rows.size() * 2);
        for (Row r : rows) {
            if (!seen.add(r.id())) {
                return false;
            }
        }
        return true;
    }

    private void put(Row r, boolean isNew) {
        try {
            if (isNew) {
                writer.addDocument(document(r));
            } else {
                writer.updateDocument(new Term(IndexLayout.ID, Long.toString(r.id())), document(r));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The RAM buffer of bulk writes and builds: a quarter of the heap, at most 256 MB. */
    static double bulkRamBufferMb() {
        return Math.min(256, Runtime.getRuntime().maxMemory() / 4.0 / (1024 * 1024));
    }

    /** Durably records everything added so far, with {@code data} as the commit's description. */
    synchronized void commit(Map<String, String> data) {
        drain();
        try {
            writer.setLiveCommitData(data.entrySet());
            writer.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized boolean hasUncommittedChanges() {
        drain();
        return writer.hasUncommittedChanges();
    }

    synchronized void refresh() {
        drain();
        try {
            searchers.maybeRefreshBlocking();
            writer.getConfig().setRAMBufferSizeMB(ramBufferMb); // after a bulk load, small flushes again
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long sizeOnDiskBytes() {
        try (Stream<Path> files = Files.list(path)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Closes without committing; searches still holding a reader finish on it. */
    @Override
    public void close() {
        background.discard(); // not committed: what was still being written is dropped with the rest
        try {
            searchers.close();
            writer.close(); // commitOnClose is off: uncommitted changes are dropped
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes and deletes the whole directory (a build that was stopped or failed, or a replaced index). */
    void delete() {
        try {
            close();
        } catch (RuntimeException e) {
            // deleting anyway
        }
        deleteTree(path);
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
