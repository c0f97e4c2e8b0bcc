package dev.gridserve.changes;

import dev.gridserve.search.RowSource;
import dev.gridserve.search.TableIndex;
import dev.gridserve.search.TableSearcher;

/**
 * Everything that keeps one table's index in step with the database: its change log, the follower applying it,
 * the rebuilds, the reconciliation and what is published as applied. Each table has its own, so a rebuild or a
 * backlog of one table never holds up another.
 */
public final class TableFollowing {
    private final String table;
    private final ChangeLog log;
    private final ChangeFollower follower;
    private final VersionPublisher versions;
    private final ChangeFeed feed;
    private final Reconciler reconciler;
    private final TableIndex index;

    TableFollowing(
            String table,
            ChangeLog log,
            ChangeFollower follower,
            VersionPublisher versions,
            ChangeFeed feed,
            Reconciler reconciler,
            TableIndex index) {
        this.table = table;
        this.log = log;
        this.follower = follower;
        this.versions = versions;
        this.feed = feed;
        this.reconciler = reconciler;
        this.index = index;
    }

    public String table() {
        return table;
    }

    public ChangeLog log() {
        return log;
    }

    public ChangeFollower follower() {
        return follower;
    }

    public VersionPublisher versions() {
        return versions;
    }

    /** The changes the index has applied, in log order, for push streams. */
    public ChangeFeed feed() {
        return feed;
    }

    public Reconciler reconciler() {
        return reconciler;
    }

    public TableIndex index() {
        return index;
    }

    public TableSearcher searcher() {
        return reconciler.searcher();
    }

    /** After the follower stopped: lets a reconciliation under way finish, then closes the index. */
    void close() throws InterruptedException {
        reconciler.close();
        index.close();
    }

    /** Builds the parts of one table's following; see {@link Followings#add}. */
    static TableFollowing of(
            LogTables names, RowSource rows, TableIndex index, TableSearcher searcher, Followings.Shared shared) {
        RunningTransactions transactions = new RunningTransactions(shared.jdbc(), shared.dialect());
        ChangeLog log =
                new ChangeLog(names, shared.jdbc(), shared.batch(), shared.dialect(), transactions, shared.longWork());
        VersionPublisher versions = new VersionPublisher();
        ChangeFeed feed = new ChangeFeed(log, shared.stream().buffer());
        ChangeFollower follower = new ChangeFollower(
                names.table(),
                log,
                transactions,
                new ChangeApplier(rows),
                new RebuildCoordinator(log, transactions, rows, index),
                index,
                versions,
                feed,
                shared.props(),
                shared.tx());
        Reconciler reconciler = new Reconciler(rows, searcher, follower, versions, shared.props());
        return new TableFollowing(names.table(), log, follower, versions, feed, reconciler, index);
    }
}
