package dev.gridserve.api;

import dev.gridserve.changes.ChangeFeed;
import dev.gridserve.changes.ChangeLog;
import dev.gridserve.changes.StreamProperties;
import dev.gridserve.changes.TableFollowing;
import dev.gridserve.system.ApiException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Server-Sent Events of the changes a table's index has applied, each as soon as it is searchable here: one event
 * per change, its id the change-log number, so a reconnecting EventSource resumes after the last one it got
 * ({@code Last-Event-ID}). Each stream runs on its own (virtual) request thread, reading the table's
 * {@link ChangeFeed} at its own pace and holding nothing but its position: a client too slow to keep up is sent
 * {@code resync} and continues from the present. Idle streams send a heartbeat comment; at most
 * {@link StreamProperties#maxStreams()} are open at once; every stream ends when the instance stops.
 */
@Component
class ChangeStreams implements SmartLifecycle {
    /** Events one read of the feed returns at most, so one flush never holds a huge batch. */
    private static final int BATCH = 500;
    /** How often a waiting stream checks whether the instance is stopping. */
    private static final Duration TICK = Duration.ofSeconds(1);

    private final StreamProperties props;
    private final Semaphore slots;
    private volatile boolean running;

    ChangeStreams(StreamProperties props) {
        this.props = props;
        this.slots = new Semaphore(props.maxStreams());
    }

    /** Streams {@code table}'s changes after {@code lastEventId} (or from now, when null) until the client leaves. */
    void stream(TableFollowing table, String lastEventId, HttpServletResponse res) throws IOException {
        long after = position(lastEventId);
        ChangeFeed feed = table.feed();
        if (!table.follower().ready() || feed.released() < 0) {
            throw ApiException.unavailable("The search index is being built; retry shortly.", 5);
        }
        if (!slots.tryAcquire()) {
            throw ApiException.unavailable("Too many change streams are open on this instance; retry shortly.", 5);
        }
        try {
            res.setContentType("text/event-stream");
            res.setCharacterEncoding("UTF-8");
            res.setHeader("Cache-Control", "no-store");
            res.setHeader("X-Accel-Buffering", "no"); // proxies such as nginx would otherwise hold events back
            OutputStream out = res.getOutputStream();
            if (after < 0) {
                after = feed.released();
            }
            write(out, "retry: 3000\nid: " + after + "\nevent: ready\ndata: {\"after\":\"" + after + "\"}\n\n");
            pump(feed, after, out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException gone) {
            // the client left: nothing to answer
        } finally {
            slots.release();
        }
    }

    private void pump(ChangeFeed feed, long after, OutputStream out) throws IOException, InterruptedException {
        long idleSince = System.nanoTime();
        while (running) {
            ChangeFeed.Batch b = feed.after(after, BATCH, props.maxReplay(), TICK);
            if (b.behind()) {
                write(out, "id: " + b.released() + "\nevent: resync\ndata: {\"after\":\"" + b.released() + "\"}\n\n");
                idleSince = System.nanoTime();
            } else if (!b.events().isEmpty()) {
                StringBuilder sb = new StringBuilder();
                b.events().forEach(e -> event(sb, e));
                write(out, sb.toString());
                idleSince = System.nanoTime();
            } else if (System.nanoTime() - idleSince >= props.heartbeat().toNanos()) {
                write(out, ": heartbeat\n\n");
                idleSince = System.nanoTime();
            }
            after = b.released();
        }
    }

    private static void event(StringBuilder sb, ChangeFeed.Event e) {
        sb.append("id: ")
                .append(e.seq())
                .append("\nevent: change\ndata: {\"seq\":\"")
                .append(e.seq());
        sb.append("\",\"op\":\"").append(op(e.op())).append('"');
        switch (e.op()) {
            case ChangeLog.UPSERT, ChangeLog.DELETE ->
                sb.append(",\"_id\":\"").append(e.rowId()).append('"');
            case ChangeLog.RANGE ->
                sb.append(",\"_id_from\":\"")
                        .append(e.rowId())
                        .append("\",\"_id_to\":\"")
                        .append(e.rowIdTo())
                        .append('"');
            default -> {}
        }
        sb.append(",\"version\":\"").append(e.version()).append("\"}\n\n");
    }

    private static String op(char op) {
        return switch (op) {
            case ChangeLog.UPSERT -> "upsert";
            case ChangeLog.DELETE -> "delete";
            case ChangeLog.RANGE -> "range";
            case ChangeLog.BULK -> "bulk";
            default -> "version";
        };
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The change-log number a reconnecting client last got; -1 (from now) when it sends none. */
    private static long position(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return -1;
        }
        String v = lastEventId.strip();
        if (v.length() > 18 || !v.chars().allMatch(Character::isDigit)) {
            throw ApiException.invalid("Last-Event-ID", "must be the id of an event of this stream (a whole number)");
        }
        return Long.parseLong(v);
    }

    @Override
    public void start() {
        running = true;
    }

    /** Ends every stream (within a tick) before the web server's graceful shutdown waits for open requests. */
    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
