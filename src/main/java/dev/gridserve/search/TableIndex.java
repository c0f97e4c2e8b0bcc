package dev.gridserve.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.AlreadyClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Lucene index of one table: the live generation (one IndexWriter, one SearcherManager) and rebuilds into a
 * new generation beside it that replace it atomically. Every commit records which database it mirrors and the
 * change-log number it has applied, so a restart catches up instead of rebuilding.
 */
public class TableIndex implements AutoCloseable, IndexWrites {
    static final Logger log = LoggerFactory.getLogger(TableIndex.class);
    private static final double LIVE_RAM_MB = 64;

    static {
        // Lucene 10.3's TermsEnum and BaseTermsEnum deadlock when two threads initialise them at once
        // (apache/lucene#15317): under load right after a start, every request thread hung in TermsEnum.<clinit>.
        // Initialised here, by one thread, before any index exists to search, they cannot race.
        Objects.requireNonNull(TermsEnum.EMPTY);
    }

    /** What the last commit says about itself. */
    public record CommitState(String schema, String databaseId, long appliedSeq) {}

    /** Whether the live generation holds this table's documents as its schema says now, for {@code databaseId}. */
    public boolean usableFor(CommitState st, String databaseId) {
        return layout.fingerprint().equals(st.schema()) && databaseId.equals(st.databaseId());
    }

    /**
     * A searcher held for one request, with the data version its reader shows (null when that reader's
     * contents are not settled enough to be cached under a version). Close it to release the reader.
     */
    public record Snapshot(IndexSearcher searcher, String version, Runnable release) implements AutoCloseable {
        @Override
        public void close() {
            release.run();
        }
    }

    private record Label(IndexReader reader, String version) {}

    private volatile Consumer<VersionChange> versionListener;

    /** Ids written since the last label: beyond this many, everything counts as changed. */
    private static final int MAX_TRACKED_CHANGES = 10_000;

    /**
     * Rows written since the last label: pending until a refresh makes them visible, then visible until the
     * next label takes them ("all": too many to list, or something that is not a row changed).
     */
    private static final class Changes {
        final Set<Long> pending = new HashSet<>();
        final Set<Long> visible = new HashSet<>();
        boolean pendingAll;
        boolean visibleAll = true; // until a first label, nothing is known
    }

    private final Changes changes = new Changes();
    /** The reader of the current label's version, held for the next change's comparison. */
    private Snapshot labelled;

    private final IndexLayout layout;
    private final int samples;
    private final IndexStore store;
    private volatile IndexGeneration live; // null until a usable index exists
    private volatile Label label;

    /** The index of {@code layout}'s table, in {@code directory} (created when absent). */
    public TableIndex(IndexLayout layout, Path directory) {
        this(layout, directory, JsonCodec.SAMPLES);
    }

    /** {@code samples}: rows each generation writes before it trains its JSON dictionary on them. */
    TableIndex(IndexLayout layout, Path directory, int samples) {
        this.layout = layout;
        this.samples = samples;
        this.store = new IndexStore(directory);
        String current = store.current();
        if (current != null) {
            try {
                live = IndexGeneration.open(current, store.path(current), LIVE_RAM_MB, layout, samples);
            } catch (IOException | RuntimeException e) {
                // kept on disk until a rebuild replaces it; never served
                log.warn(
                        "Index generation {} cannot be opened ({}); it will be rebuilt beside it",
                        current,
                        e.toString());
            }
        }
        store.deleteAllBut(current); // generations of builds that never finished
    }

    /** What the live generation's last commit recorded (empty when there is none). */
    public CommitState committed() {
        IndexGeneration g = live;
        Map<String, String> m = g == null ? Map.of() : g.commitData();
        return new CommitState(
                m.getOrDefault("schema", ""),
                m.getOrDefault("database_id", ""),
                Long.parseLong(m.getOrDefault("applied_seq", "0")));
    }

    public IndexLayout layout() {
        return layout;
    }

    Map<String, String> commitData(String databaseId, long appliedSeq) {
        return Map.of(
                "schema", layout.fingerprint(), "database_id", databaseId, "applied_seq", Long.toString(appliedSeq));
    }

    @Override
    public void write(Collection<? extends Row> upserts, Collection<Long> deletes) {
        synchronized (changes) {
            if (versionListener != null && !changes.pendingAll) { // nobody compares versions: nothing to track
                upserts.forEach(r -> changes.pending.add(r.id()));
                changes.pending.addAll(deletes);
                if (changes.pending.size() > MAX_TRACKED_CHANGES) {
                    changes.pendingAll = true;
                    changes.pending.clear();
                }
            }
        }
        live().write(upserts, deletes, true);
    }

    @Override
    public void everythingChanged() {
        synchronized (changes) {
            changes.pendingAll = true;
            changes.visibleAll = true;
            changes.pending.clear();
            changes.visible.clear();
        }
    }

    @Override
    public void refresh() {
        synchronized (changes) {
            // what was written before the refresh is in the reader it opens (later writes wait for the next one)
            changes.visibleAll |=
                    changes.pendingAll || changes.visible.size() + changes.pending.size() > MAX_TRACKED_CHANGES;
            if (changes.visibleAll) {
                changes.visible.clear();
            } else {
                changes.visible.addAll(changes.pending);
            }
            changes.pending.clear();
            changes.pendingAll = false;
            live().refresh();
        }
    }

    /** Durably records the live generation as mirroring {@code databaseId} up to {@code appliedSeq}. */
    public synchronized void commit(String databaseId, long appliedSeq) {
        IndexGeneration g = live;
        if (g == null) {
            return;
        }
        Map<String, String> data = commitData(databaseId, appliedSeq);
        if (data.equals(g.commitData()) && !g.hasUncommittedChanges()) {
            return;
        }
        g.commit(data);
    }

    /** Starts filling a new generation beside the live one. */
    public IndexBuild startBuild() {
        String name = store.create();
        try {
            return new IndexBuild(
                    IndexGeneration.open(name, store.path(name), IndexGeneration.bulkRamBufferMb(), layout, samples),
                    layout.table(),
                    this::commitData);
        } catch (IOException e) {
            IndexGeneration.deleteTree(store.path(name));
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Serves {@code build} (completed and caught up) from now on and makes it the generation a restart opens;
     * the replaced generation is closed (searches still using it finish) and deleted.
     */
    public synchronized void swap(IndexBuild build) {
        IndexGeneration next = build.generation;
        next.writer.getConfig().setRAMBufferSizeMB(LIVE_RAM_MB);
        store.makeCurrent(next.name);
        IndexGeneration old = live;
        live = next;
        label = null;
        everythingChanged();
        releaseLabelled(); // before its generation closes
        if (old != null) {
            old.delete();
        }
        store.deleteAllBut(next.name);
    }

    /** Whether a generation is being served (it may still be catching up). */
    public boolean hasIndex() {
        return live != null;
    }

    private IndexGeneration live() {
        IndexGeneration g = live;
        if (g == null) {
            throw new IllegalStateException("No index has been built yet");
        }
        return g;
    }

    /** A current searcher and the data version it shows; the caller closes it. */
    public Snapshot acquire() {
        while (true) {
            IndexGeneration g = live();
            IndexSearcher s;
            try {
                s = g.searchers.acquire();
            } catch (AlreadyClosedException | IOException e) {
                if (live == g) {
                    throw new IllegalStateException("The index is closed", e);
                }
                continue; // replaced by a rebuild between reading it and acquiring
            }
            Label l = label;
            return new Snapshot(s, l != null && l.reader() == s.getIndexReader() ? l.version() : null, () -> {
                try {
                    g.searchers.release(s);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /**
     * Says which data version the live reader shows: answers computed from that reader may be cached under
     * it. Null means not cacheable. A later reader carries no version until it is labelled.
     */
    public void label(String version) {
        IndexGeneration g = live;
        if (g == null) {
            return;
        }
        Snapshot now = acquire();
        Label before = label;
        if (before != null
                && before.reader() == now.searcher().getIndexReader()
                && Objects.equals(version, before.version())) {
            now.close(); // nothing new
            return;
        }
        label = new Label(now.searcher().getIndexReader(), version);
        Set<Long> changed;
        synchronized (changes) {
            changed = changes.visibleAll ? null : Set.copyOf(changes.visible);
            changes.visible.clear();
            changes.visibleAll = false;
        }
        Snapshot previous;
        // held for the next version's comparison, only when someone compares (see onVersion)
        boolean hold = version != null && versionListener != null;
        synchronized (this) {
            previous = labelled;
            labelled = hold ? now : null;
        }
        if (!hold) {
            now.close();
        }
        if (version != null && (before == null || !version.equals(before.version()))) {
            Consumer<VersionChange> l = versionListener;
            boolean comparable =
                    l != null && previous != null && before != null && before.version() != null && changed != null;
            VersionChange change = comparable
                    ? new VersionChange(before.version(), previous, acquire(), version, changed)
                    : new VersionChange(null, null, null, version, null);
            if (comparable) {
                previous = null; // the change holds it now: whoever takes the change releases it
            }
            if (l != null) {
                l.accept(change);
            } else {
                change.close();
            }
        }
        if (previous != null) {
            previous.close();
        }
    }

    /**
     * A table's cached answers moved to a new data version. When {@code changed} is known (null: anything may have
     * changed, e.g. a rebuild or an epoch), these rows are all that differ between {@code before} (the reader of the
     * previous version) and {@code after} (that of this one): an answer none of them is selected by, in either, is
     * the same at both. Close it to release the readers.
     */
    public record VersionChange(
            String previousVersion, Snapshot before, Snapshot after, String version, Set<Long> changed)
            implements AutoCloseable {
        public boolean carriesReaders() {
            return before != null && after != null && changed != null;
        }

        @Override
        public void close() {
            if (before != null) {
                before.close();
            }
            if (after != null) {
                after.close();
            }
        }
    }

    private synchronized void releaseLabelled() {
        if (labelled != null) {
            labelled.close();
            labelled = null;
        }
    }

    /**
     * Calls {@code listener} (which must return quickly) with every new data version answers are cached under.
     * There is one listener (the cache warmer): it owns the change and must close it.
     */
    public void onVersion(Consumer<VersionChange> listener) {
        versionListener = listener;
    }

    /** Runs {@code work} on a current searcher, always releasing it. */
    public <T> T search(SearchWork<T> work) {
        try (Snapshot s = acquire()) {
            return work.run(s.searcher());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long documents() {
        return live == null ? 0 : search(s -> (long) s.getIndexReader().numDocs());
    }

    public long sizeOnDiskBytes() {
        IndexGeneration g = live;
        return g == null ? 0 : g.sizeOnDiskBytes();
    }

    @FunctionalInterface
    public interface SearchWork<T> {
        T run(IndexSearcher searcher) throws IOException;
    }

    /** Closes the live generation without committing: the follower's stop made the last consistent commit. */
    @Override
    public void close() {
        releaseLabelled();
        IndexGeneration g = live;
        if (g != null) {
            g.close();
        }
    }
}
