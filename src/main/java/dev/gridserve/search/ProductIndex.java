package dev.gridserve.search;

import dev.gridserve.product.Product;
import dev.gridserve.system.DataProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The embedded Lucene index: one IndexWriter, one SearcherManager. Every commit records which database it
 * mirrors and the change-log sequence it has applied, so a restart catches up instead of rebuilding.
 */
@Component
public class ProductIndex implements DisposableBean {
    /** Bump when documents change shape: an index of another schema is rebuilt at start. */
    static final String SCHEMA = "3";

    private static final Logger log = LoggerFactory.getLogger(ProductIndex.class);

    static {
        // Lucene 10.3's TermsEnum and BaseTermsEnum deadlock when two threads initialise them at once
        // (apache/lucene#15317): under load right after a start, every request thread hung in TermsEnum.<clinit>.
        // Initialised here, by one thread, before any index exists to search, they cannot race.
        Objects.requireNonNull(TermsEnum.EMPTY);
    }

    private static final Product POISON = new Product(
            -1,
            "",
            "",
            0,
            "",
            0,
            "",
            null,
            null,
            null,
            java.util.List.of(),
            java.time.Instant.EPOCH,
            java.time.Instant.EPOCH,
            0);

    /** What the last commit says about itself. */
    public record CommitState(String schema, String databaseId, long appliedSeq) {
        public boolean usableFor(String dbId) {
            return SCHEMA.equals(schema) && dbId.equals(databaseId);
        }
    }

    private final Path path;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final AtomicReference<Map<String, String>> commitData = new AtomicReference<>(Map.of());
    private volatile long rebuilt = -1;

    /** Products added by the rebuild under way, or -1 when none is. */
    public long rebuildProgress() {
        return rebuilt;
    }

    public ProductIndex(DataProperties data) throws IOException {
        this.path = data.dir().resolve("index");
        Files.createDirectories(path);
        this.directory = new MMapDirectory(path);
        this.writer = openWriter();
        this.searchers = new SearcherManager(writer, null);
    }

    private IndexWriter openWriter() throws IOException {
        try {
            return new IndexWriter(directory, config());
        } catch (IOException | IllegalArgumentException e) {
            // A corrupt, foreign or incompatible index is rebuilt from the database, never trusted.
            log.warn("Index at {} cannot be opened ({}); discarding it for a rebuild", path, e.toString());
            try (Stream<Path> files = Files.list(path)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
            return new IndexWriter(directory, config());
        }
    }

    private static IndexWriterConfig config() {
        IndexWriterConfig c = new IndexWriterConfig(null);
        c.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
        c.setRAMBufferSizeMB(256);
        // The default order (newest first) is the index order, so the default first page stops early.
        c.setIndexSort(new Sort(
                new SortField(Fields.CREATED, SortField.Type.LONG, true),
                new SortField(Fields.ID_DV, SortField.Type.LONG, true)));
        return c;
    }

    public CommitState committed() {
        Map<String, String> m = new HashMap<>();
        Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
        if (live != null) {
            live.forEach(e -> m.put(e.getKey(), e.getValue()));
        }
        return new CommitState(
                m.getOrDefault("schema", ""),
                m.getOrDefault("database_id", ""),
                Long.parseLong(m.getOrDefault("applied_seq", "0")));
    }

    /** Applies current rows and deletions, then makes them visible to the next search. */
    public void apply(Collection<Product> upserts, Collection<Long> deletes) {
        try {
            for (Product p : upserts) {
                writer.updateDocument(new Term(Fields.ID, Long.toString(p.id())), ProductDocuments.toDocument(p));
            }
            for (long id : deletes) {
                writer.deleteDocuments(new Term(Fields.ID, Long.toString(id)));
            }
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Replaces the whole index with what {@code source} produces, building documents on all cores, then
     * commits. Searches keep seeing the old contents until the new ones are complete.
     */
    public long rebuild(Consumer<Consumer<Product>> source, String databaseId, long appliedSeq) {
        long started = System.nanoTime();
        try {
            writer.deleteAll();
            int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
            BlockingQueue<Product> queue = new ArrayBlockingQueue<>(10_000);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread[] threads = new Thread[workers];
            for (int i = 0; i < workers; i++) {
                threads[i] = Thread.ofPlatform().name("index-build-" + i).start(() -> {
                    try {
                        for (Product p = queue.take(); p != POISON; p = queue.take()) {
                            writer.addDocument(ProductDocuments.toDocument(p));
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                        queue.clear();
                    }
                });
            }
            long[] n = {0};
            Progress progress = new Progress("Indexing", -1);
            try {
                rebuilt = 0;
                source.accept(p -> {
                    putUninterruptibly(queue, p);
                    rebuilt = ++n[0];
                    progress.step(n[0]);
                    if (failure.get() != null) {
                        throw new IllegalStateException("Index build failed", failure.get());
                    }
                });
            } finally {
                for (int i = 0; i < workers; i++) {
                    putUninterruptibly(queue, POISON);
                }
                for (Thread t : threads) {
                    t.join();
                }
            }
            rebuilt = -1;
            if (failure.get() != null) {
                throw new IllegalStateException("Index build failed", failure.get());
            }
            commit(databaseId, appliedSeq);
            searchers.maybeRefreshBlocking();
            progress.done(n[0]);
            log.info("Index rebuilt: {} products in {} ms", n[0], (System.nanoTime() - started) / 1_000_000);
            return n[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Index build interrupted", e);
        }
    }

    private static void putUninterruptibly(BlockingQueue<Product> q, Product p) {
        boolean interrupted = false;
        while (true) {
            try {
                q.put(p);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Durably records everything applied so far as mirroring {@code databaseId} up to {@code appliedSeq}. */
    public synchronized void commit(String databaseId, long appliedSeq) {
        Map<String, String> data =
                Map.of("schema", SCHEMA, "database_id", databaseId, "applied_seq", Long.toString(appliedSeq));
        try {
            if (data.equals(commitData.get()) && !writer.hasUncommittedChanges()) {
                return;
            }
            writer.setLiveCommitData(data.entrySet());
            writer.commit();
            commitData.set(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code work} on a current searcher, always releasing it. */
    public <T> T search(SearchWork<T> work) {
        try {
            IndexSearcher s = searchers.acquire();
            try {
                return work.run(s);
            } finally {
                searchers.release(s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long documents() {
        return search(s -> (long) s.getIndexReader().numDocs());
    }

    public long sizeOnDiskBytes() {
        try (Stream<Path> files = Files.list(path)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    @FunctionalInterface
    public interface SearchWork<T> {
        T run(IndexSearcher searcher) throws IOException;
    }

    @Override
    public void destroy() throws IOException {
        searchers.close();
        writer.close();
        directory.close();
    }
}
