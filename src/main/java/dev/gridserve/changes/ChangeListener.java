package dev.gridserve.changes;

import dev.gridserve.system.Dialect;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On PostgreSQL: LISTENs for committed changes and wakes the follower at once, so other instances see a
 * write within milliseconds rather than a poll interval. Also prunes the change log past its retention.
 * Polling stays the safety net; losing this connection only costs latency.
 */
@Component
class ChangeListener implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ChangeListener.class);

    private final DataSource dataSource;
    private final Dialect dialect;
    private final Followings followings;
    private final FollowerProperties props;
    private volatile boolean running;
    private Thread thread;

    ChangeListener(DataSource dataSource, Dialect dialect, Followings followings, FollowerProperties props) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.followings = followings;
        this.props = props;
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().daemon().name("change-listener").start(this::run);
    }

    private void run() {
        boolean failing = false;
        Instant nextPrune = Instant.now().plus(1, ChronoUnit.MINUTES);
        while (running) {
            try {
                if (dialect == Dialect.POSTGRES) {
                    listen();
                } else {
                    Thread.sleep(props.pruneInterval().toMillis());
                }
                failing = false;
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!failing) {
                    log.warn(
                            "Change notifications unavailable ({}); relying on polling until they return",
                            e.toString());
                    failing = true;
                }
                sleepQuietly(1000);
            }
            if (Instant.now().isAfter(nextPrune)) {
                nextPrune = Instant.now().plus(props.pruneInterval());
                pruneQuietly();
            }
        }
    }

    /** Holds one connection LISTENing until it fails or it is time to prune. */
    private void listen() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + ChangeLog.CHANNEL);
            }
            PGConnection pg = c.unwrap(PGConnection.class);
            long until = System.nanoTime() + props.pruneInterval().toNanos();
            while (running && System.nanoTime() < until) {
                PGNotification[] n = pg.getNotifications(1000);
                if (n != null && n.length > 0) {
                    followings.wakeAll();
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("UNLISTEN *");
            }
        }
    }

    private void pruneQuietly() {
        for (TableFollowing f : followings.all()) {
            try {
                int n = f.log().prune(Instant.now().minus(props.retention()));
                if (n > 0) {
                    log.info("Pruned {} {} change-log entries older than {}", n, f.table(), props.retention());
                }
            } catch (RuntimeException e) {
                log.debug("Change-log pruning of {} skipped: {}", f.table(), e.toString());
            }
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
