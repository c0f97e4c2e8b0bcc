package dev.gridserve.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One bulk import as it runs, and its report: rows read, inserted, updated and rejected, how fast, when it should
 * end (from the share of the upload read), and the first rejections by line and field.
 */
final class ImportJob {
    /** Rejections a report lists; the count of all of them is kept. */
    static final int MAX_ERRORS = 100;

    enum State {
        QUEUED,
        RUNNING,
        /** Written and committed; waiting until this instance's index has applied it. */
        INDEXING,
        SUCCEEDED,
        FAILED
    }

    record Rejection(long line, String field, String message) {}

    final String id;
    final String table;
    final String mode;
    final String match;
    final long uploadBytes;
    final Instant created = Instant.now();
    volatile State state = State.QUEUED;
    volatile Instant started;
    volatile Instant finished;
    volatile long read;
    volatile long inserted;
    volatile long updated;
    volatile long rejected;
    volatile long bytesRead;
    volatile String failure;
    volatile boolean rolledBack;
    private final List<Rejection> errors = Collections.synchronizedList(new ArrayList<>());

    ImportJob(String id, String table, String mode, String match, long uploadBytes) {
        this.id = id;
        this.table = table;
        this.mode = mode;
        this.match = match;
        this.uploadBytes = uploadBytes;
    }

    private long lastRejectedLine = -1;

    /** A problem of the record on {@code line}; a record with several problems is one rejected row. */
    void reject(long line, String field, String message) {
        if (line != lastRejectedLine) {
            rejected++;
            lastRejectedLine = line;
        }
        if (errors.size() < MAX_ERRORS) {
            errors.add(new Rejection(line, field, message));
        }
    }

    /** The job as GET /api/v1/jobs/{id} shows it. */
    Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("kind", "import");
        m.put("table", table);
        m.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
        m.put("mode", mode);
        m.put("match", match);
        m.put("rows_read", read);
        m.put("rows_inserted", inserted);
        m.put("rows_updated", updated);
        m.put("rows_rejected", rejected);
        Instant end = finished != null ? finished : Instant.now();
        double seconds = started == null
                ? 0
                : Math.max(0.001, Duration.between(started, end).toMillis() / 1000.0);
        m.put("rows_per_second", started == null ? null : Math.round(read / seconds));
        Double share = uploadBytes <= 0 ? null : Math.min(1.0, bytesRead / (double) uploadBytes);
        m.put("progress", share == null ? null : Math.round(share * 1000) / 1000.0);
        m.put(
                "eta_seconds",
                state != State.RUNNING || share == null || share <= 0
                        ? null
                        : Math.round(seconds * (1 - share) / share));
        m.put("created_at", created.toString());
        m.put("started_at", started == null ? null : started.toString());
        m.put("finished_at", finished == null ? null : finished.toString());
        m.put("rolled_back", rolledBack);
        m.put("failure", failure);
        synchronized (errors) {
            m.put("errors", List.copyOf(errors));
        }
        return m;
    }
}
