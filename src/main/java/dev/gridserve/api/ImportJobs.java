package dev.gridserve.api;

import dev.gridserve.schema.FieldDef;
import dev.gridserve.system.DataDirectory;
import dev.gridserve.system.Dialect;
import dev.gridserve.system.JsonBodies;
import dev.gridserve.tables.Table;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Import jobs of this instance: uploads are kept in {@code DATA_DIR/imports} until loaded, one job at a time (a
 * bulk load already uses the database and the index fully), and the last {@link #KEPT} jobs' reports are kept in
 * memory, visible at GET /api/v1/jobs/{id} on the instance that took the upload.
 */
@Component
class ImportJobs implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(ImportJobs.class);
    static final int KEPT = 100;
    /** How long a job waits for the index to apply what it wrote before it reports anyway. */
    static final java.time.Duration INDEXING_LIMIT = java.time.Duration.ofMinutes(10);

    enum Format {
        NDJSON,
        CSV
    }

    private final Map<String, ImportJob> jobs = new LinkedHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("import").unstarted(r));
    private final Path spool;
    private final TransactionTemplate tx;
    private final DataSource dataSource;
    private final Dialect dialect;
    private final JsonBodies bodies;
    private final int maxSavepoints;

    private final StaleReads staleReads;

    ImportJobs(
            DataDirectory data,
            TransactionTemplate tx,
            DataSource dataSource,
            Dialect dialect,
            JsonBodies bodies,
            ImportProperties props,
            StaleReads staleReads)
            throws IOException {
        this.staleReads = staleReads;
        this.maxSavepoints = props.maxSavepoints();
        this.spool = Files.createDirectories(data.path().resolve("imports"));
        this.tx = tx;
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.bodies = bodies;
        try (var old = Files.list(spool)) { // uploads of a previous process were never loaded: nobody waits
            old.forEach(p -> p.toFile().delete());
        }
    }

    Path newUpload(String id) {
        return spool.resolve(id + ".upload");
    }

    static String newId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    synchronized Optional<ImportJob> get(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** Queues the load of {@code upload} (gzip when {@code gzip}) into {@code table}. */
    synchronized ImportJob submit(
            String id,
            Table table,
            Path upload,
            Format format,
            boolean gzip,
            boolean allOrNothing,
            FieldDef match,
            String actor,
            boolean deleteAfter)
            throws IOException {
        ImportJob job = new ImportJob(
                id,
                table.name(),
                allOrNothing ? "all_or_nothing" : "skip_invalid",
                match == null ? "_id" : match.name(),
                Files.size(upload));
        jobs.put(id, job);
        while (jobs.size() > KEPT) {
            jobs.remove(jobs.keySet().iterator().next());
        }
        worker.execute(() -> run(job, table, upload, format, gzip, allOrNothing, match, actor, deleteAfter));
        return job;
    }

    private void run(
            ImportJob job,
            Table table,
            Path upload,
            Format format,
            boolean gzip,
            boolean allOrNothing,
            FieldDef match,
            String actor,
            boolean deleteAfter) {
        job.started = Instant.now();
        job.state = ImportJob.State.RUNNING;
        try (InputStream raw = new Counting(Files.newInputStream(upload), job);
                InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
                Reader text = new InputStreamReader(
                        in,
                        StandardCharsets.UTF_8
                                .newDecoder()
                                .onMalformedInput(CodingErrorAction.REPORT)
                                .onUnmappableCharacter(CodingErrorAction.REPORT));
                ImportRecords records = format == Format.CSV
                        ? ImportRecords.csv(text, table.schema())
                        : ImportRecords.ndjson(text, bodies.mapper())) {
            long seq = new Importer(table, job, allOrNothing, match, tx, maxSavepoints, dataSource, dialect, actor)
                    .run(records);
            if (seq > 0) {
                // written: the job ends when its rows are searchable on this instance
                job.state = ImportJob.State.INDEXING;
                long until = System.nanoTime() + INDEXING_LIMIT.toNanos();
                while (!table.following().follower().awaitApplied(seq)) {
                    if (System.nanoTime() > until || Thread.currentThread().isInterrupted()) {
                        job.failure = "The rows are written, but this instance's index had not applied them after "
                                + INDEXING_LIMIT.toMinutes() + " minutes; they appear when it has.";
                        break;
                    }
                }
                staleReads.wrote(actor); // from when its rows are searchable: the importer reads them exactly
            }
            job.state = ImportJob.State.SUCCEEDED;
        } catch (IOException | RuntimeException e) {
            job.failure = e instanceof java.nio.charset.CharacterCodingException
                    ? "The upload is not valid UTF-8."
                    : e instanceof java.util.zip.ZipException
                            ? "The upload is not valid gzip."
                            : e.getMessage() == null ? e.toString() : e.getMessage();
            job.state = ImportJob.State.FAILED;
            if (allOrNothing) {
                job.rolledBack = true;
                job.inserted = 0;
                job.updated = 0;
            }
            log.warn("Import {} into {} failed: {}", job.id, job.table, job.failure);
        } finally {
            job.finished = Instant.now();
            if (deleteAfter) {
                upload.toFile().delete();
            }
            log.info(
                    "Import {} into {}: {} read, {} inserted, {} updated, {} rejected in {} ms",
                    job.id,
                    job.table,
                    job.read,
                    job.inserted,
                    job.updated,
                    job.rejected,
                    java.time.Duration.between(job.started, job.finished).toMillis());
        }
    }

    /** Counts the upload's bytes as they are read: the job's progress. */
    private static final class Counting extends java.io.FilterInputStream {
        private final ImportJob job;

        Counting(InputStream in, ImportJob job) {
            super(in);
            this.job = job;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                job.bytesRead++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                job.bytesRead += n;
            }
            return n;
        }
    }

    @Override
    public void destroy() {
        worker.shutdownNow();
    }
}
