package dev.gridserve.system;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Work whose statements may rightly take long (scanning every product to rebuild the index, bulk loads,
 * checksums over the whole table, pruning): on PostgreSQL its transaction alone runs without the statement and
 * socket timeouts that keep requests from hanging on a stalled database.
 */
@Component
public class LongWork {
    private static final Executor DIRECT = Runnable::run;

    private final DataSource dataSource;
    private final TransactionTemplate tx;
    private final Dialect dialect;

    LongWork(DataSource dataSource, TransactionTemplate tx, Dialect dialect) {
        this.dataSource = dataSource;
        this.tx = tx;
        this.dialect = dialect;
    }

    /** Runs {@code work} in a transaction without time limits. */
    public <T> T run(Supplier<T> work) {
        return tx.execute(status -> {
            lift(DataSourceUtils.getConnection(dataSource));
            return work.get();
        });
    }

    /**
     * Lifts the limits for the current transaction of {@code c} (autocommit off): the statement timeout until it
     * ends, the socket timeout until the pool takes the connection back (HikariCP restores it).
     */
    public void lift(Connection c) {
        if (dialect != Dialect.POSTGRES) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL statement_timeout = 0");
            c.setNetworkTimeout(DIRECT, 0);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not lift the statement timeout: " + e.getMessage(), e);
        }
    }
}
