package dev.gridserve.search;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BiFunction;

/**
 * A new index generation being filled beside the live one: documents are built on every core from the rows
 * the caller adds. Until {@link TableIndex#swap} makes it current, nothing serves from it and a stop or
 * failure just deletes it.
 */
public final class IndexBuild implements IndexWrites {
    private static final int CHUNK = 1024;

    final IndexGeneration generation;
    private final Progress progress = new Progress("Indexing", -1);
    private final long started = System.nanoTime();
    private List<Row> chunk = new ArrayList<>(CHUNK);
    private volatile long added;

    private final String table;
    private final BiFunction<String, Long, Map<String, String>> commitData;

    IndexBuild(IndexGeneration generation, String table, BiFunction<String, Long, Map<String, String>> commitData) {
        this.generation = generation;
        this.table = table;
        this.commitData = commitData;
    }

    /** Adds a row; throws when the build failed, or {@link CancellationException} when interrupted. */
    public void add(Row r) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("index build interrupted");
        }
        chunk.add(r);
        if (chunk.size() == CHUNK) {
            handOver();
        }
        progress.step(++added);
    }

    private void handOver() {
        List<Row> rows = chunk;
        failingAsBuild(() -> generation.addNew(rows));
        chunk = new ArrayList<>(CHUNK);
    }

    /** Runs {@code step} of the build, a failure of it named as the build's. */
    private static void failingAsBuild(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            throw new IllegalStateException("Index build failed: " + e, e);
        }
    }

    /** Rows added so far. */
    public long added() {
        return added;
    }

    /** Waits for every document, then commits the generation as mirroring the database up to {@code seq}. */
    public void complete(String databaseId, long appliedSeq) {
        handOver();
        failingAsBuild(generation::drain);
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("index build interrupted");
        }
        generation.commit(commitData.apply(databaseId, appliedSeq));
        generation.refresh();
        progress.done(added);
        TableIndex.log.info(
                "Index of {} rebuilt: {} rows in {} ms", table, added, (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public void write(Collection<? extends Row> upserts, Collection<Long> deletes) {
        generation.write(upserts, deletes, false);
    }

    @Override
    public void refresh() {
        generation.refresh();
    }

    /** Stops the build and deletes what it wrote; the live generation is untouched. */
    public void cancel() {
        generation.delete();
    }
}
