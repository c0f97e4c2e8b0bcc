package dev.gridserve.search;

import java.util.Collection;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A new index generation being filled beside the live one: documents are built on every core from the rows
 * the caller adds. Until {@link TableIndex#swap} makes it current, nothing serves from it and a stop or
 * failure just deletes it.
 */
public final class IndexBuild implements IndexWrites {
    private static final Row POISON = new Row() {
        @Override
        public long id() {
            return -1;
        }

        @Override
        public long version() {
            return 0;
        }

        @Override
        public String json() {
            return "";
        }

        @Override
        public Object value(String field) {
            return null;
        }
    };

    final IndexGeneration generation;
    private final BlockingQueue<Row> queue = new ArrayBlockingQueue<>(10_000);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread[] workers;
    private final Progress progress = new Progress("Indexing", -1);
    private final long started = System.nanoTime();
    private volatile long added;
    private boolean workersDone;

    private final String table;
    private final java.util.function.BiFunction<String, Long, java.util.Map<String, String>> commitData;

    IndexBuild(
            IndexGeneration generation,
            String table,
            java.util.function.BiFunction<String, Long, java.util.Map<String, String>> commitData) {
        this.generation = generation;
        this.table = table;
        this.commitData = commitData;
        this.workers = new Thread[Math.max(1, Runtime.getRuntime().availableProcessors())];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = Thread.ofPlatform().name("index-build-" + i).start(this::work);
        }
    }

    private void work() {
        try {
            for (Row r = queue.take(); r != POISON; r = queue.take()) {
                generation.writer.addDocument(generation.document(r));
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
            queue.removeIf(r -> r != POISON); // unblock the producer, keeping the other workers' end markers
        }
    }

    /** Adds a row; throws when the build failed, or {@link CancellationException} when interrupted. */
    public void add(Row r) {
        Throwable f = failure.get();
        if (f != null) {
            throw new IllegalStateException("Index build failed: " + f, f);
        }
        try {
            queue.put(r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("index build interrupted");
        }
        progress.step(++added);
    }

    /** Rows added so far. */
    public long added() {
        return added;
    }

    /** Waits for every document, then commits the generation as mirroring the database up to {@code seq}. */
    public void complete(String databaseId, long appliedSeq) {
        stopWorkers(false);
        Throwable f = failure.get();
        if (f != null) {
            throw new IllegalStateException("Index build failed: " + f, f);
        }
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
        stopWorkers(true);
        generation.delete();
    }

    /** Ends the workers after the queued rows, or, when {@code discard}, after dropping them. */
    private void stopWorkers(boolean discard) {
        if (workersDone) {
            return;
        }
        workersDone = true;
        boolean interrupted = false;
        for (Thread ignored : workers) {
            while (true) {
                if (discard || failure.get() != null) {
                    // the rows only: clearing everything also dropped end markers already offered to the
                    // other workers, and a worker left without one blocked the cancel forever
                    queue.removeIf(r -> r != POISON);
                }
                try {
                    if (queue.offer(POISON, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    discard = true; // asked to stop: finish quickly
                }
            }
        }
        for (Thread t : workers) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
