package dev.gridserve.changes;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.gridserve.system.DataDirectory;
import dev.gridserve.system.DatabaseProperties;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Says whether the database answers, and the newest change-log number it holds, read every probe interval on a
 * connection of its own with one-second timeouts: a database that stops answering (packets dropped, not
 * refused) is noticed within about a second, and then reads go to the index and writes are refused at once,
 * instead of each request waiting out its timeouts. /health reads its state and never waits on the database.
 */
@Component
public class DatabaseMonitor implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(DatabaseMonitor.class);

    private final DatabaseProperties db;
    private final DataDirectory data;
    private volatile boolean reachable = true;
    private volatile long latestSeq = -1;
    private volatile boolean running;
    private Thread thread;
    private HikariDataSource probe;

    DatabaseMonitor(DatabaseProperties db, DataDirectory data) {
        this.db = db;
        this.data = data;
    }

    /** Whether the last probe got an answer. */
    public boolean reachable() {
        return reachable;
    }

    /** The newest change-log number at the last answered probe (-1 before the first). */
    public long latestSeq() {
        return latestSeq;
    }

    @Override
    public void start() {
        running = true;
        HikariConfig c = db.pool(data.path(), "gridserve-probe", 1);
        c.setConnectionTimeout(1000);
        c.setValidationTimeout(500);
        c.setInitializationFailTimeout(-1);
        if (!db.embedded()) {
            c.addDataSourceProperty("connectTimeout", "1");
            c.addDataSourceProperty("socketTimeout", "1");
        }
        probe = new HikariDataSource(c);
        check(); // known before anything is served
        thread = Thread.ofPlatform().daemon().name("database-probe").start(this::run);
    }

    private void run() {
        while (running) {
            sleep();
            check();
        }
        probe.close();
    }

    /**
     * One missed second is enough: a false alarm costs a moment of index-only reads and refused writes, a stall
     * unnoticed costs every request its full timeout.
     */
    private void check() {
        boolean ok = answers(probe);
        if (ok != reachable) {
            reachable = ok;
            if (ok) {
                log.info("The database answers again");
            } else {
                log.warn("The database does not answer; reads come from the index, writes get 503");
            }
        }
    }

    private boolean answers(HikariDataSource probe) {
        try (Connection conn = probe.getConnection();
                Statement s = conn.createStatement()) {
            // the socket timeout bounds it; a query timeout would send a cancel through the stalled network and
            // wait for that instead
            try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM product_changes")) {
                rs.next();
                latestSeq = rs.getLong(1);
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private void sleep() {
        try {
            Thread.sleep(db.probeInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the index starts following (phase 0), so the database's state is known from the first request. */
    @Override
    public int getPhase() {
        return -100;
    }
}
