package dev.gridserve.changes;

import dev.gridserve.search.RowSource;
import dev.gridserve.search.TableIndex;
import dev.gridserve.search.TableSearcher;
import dev.gridserve.system.Dialect;
import dev.gridserve.system.LongWork;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Every table's following, made here so each gets the same database, settings and shutdown. */
@Component
public class Followings implements DisposableBean {
    /** What all followings share. */
    record Shared(
            JdbcClient jdbc,
            JdbcTemplate batch,
            Dialect dialect,
            LongWork longWork,
            FollowerProperties props,
            StreamProperties stream,
            TransactionTemplate tx) {}

    private final Shared shared;
    private final List<TableFollowing> all = new CopyOnWriteArrayList<>();
    private final Map<String, TableFollowing> byTable = new ConcurrentHashMap<>();

    Followings(
            JdbcClient jdbc,
            JdbcTemplate batch,
            Dialect dialect,
            LongWork longWork,
            FollowerProperties props,
            StreamProperties stream,
            TransactionTemplate tx) {
        this.shared = new Shared(jdbc, batch, dialect, longWork, props, stream, tx);
    }

    /** Follows {@code table}'s change log into {@code index}, reading rows from {@code rows}. */
    public TableFollowing add(String table, RowSource rows, TableIndex index, TableSearcher searcher) {
        TableFollowing f = TableFollowing.of(LogTables.of(table), rows, index, searcher, shared);
        if (byTable.putIfAbsent(table, f) != null) {
            throw new IllegalStateException("Table " + table + " is already followed");
        }
        all.add(f);
        return f;
    }

    public List<TableFollowing> all() {
        return List.copyOf(all);
    }

    public Optional<TableFollowing> of(String table) {
        return Optional.ofNullable(byTable.get(table));
    }

    /** Wakes every follower (a change was announced). */
    void wakeAll() {
        all.forEach(f -> f.follower().wake());
    }

    /** Stops every follower; each commits what it has consistently applied. */
    public void stopAll() {
        all.forEach(f -> f.follower().stop());
    }

    @Override
    public void destroy() throws InterruptedException {
        stopAll();
        for (TableFollowing f : all) {
            f.close();
        }
    }
}
