package dev.gridserve.health;

import dev.gridserve.changes.ChangeFollower;
import dev.gridserve.changes.DatabaseMonitor;
import dev.gridserve.changes.Followings;
import dev.gridserve.changes.TableFollowing;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The index's state as metrics, for dashboards and alerts: how far behind the database it is (as /health says),
 * and per table whether it is ready, its documents, its size and how often it was rebuilt.
 */
@Component
class IndexMetrics implements MeterBinder {
    private final ChangeFollower follower;
    private final DatabaseMonitor database;
    private final Followings followings;

    IndexMetrics(ChangeFollower follower, DatabaseMonitor database, Followings followings) {
        this.follower = follower;
        this.database = database;
        this.followings = followings;
    }

    /**
     * How long the index has not shown everything the database last reported (zero when it does); null while the
     * database is unreachable, from the probe's last answer, so this never waits on the database.
     */
    Duration lag() {
        if (!database.reachable() || database.latestSeq() < 0) {
            return null;
        }
        ChangeFollower.Status st = follower.status();
        return database.latestSeq() <= st.highSeen() ? Duration.ZERO : Duration.ofMillis(st.caughtUpMillisAgo());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("gridserve.index.lag", this, m -> {
                    Duration d = m.lag();
                    return d == null ? Double.NaN : d.toMillis() / 1000.0;
                })
                .baseUnit("seconds")
                .description("how long the index has been behind the database (NaN while the database is unreachable)")
                .register(registry);
        for (TableFollowing f : followings.all()) {
            Gauge.builder("gridserve.index.ready", f, t -> t.follower().ready() ? 1 : 0)
                    .tag("table", f.table())
                    .description("1 when the table's index answers reads")
                    .register(registry);
            Gauge.builder(
                            "gridserve.index.documents",
                            f,
                            t -> t.index().hasIndex() ? t.index().documents() : 0)
                    .tag("table", f.table())
                    .description("documents in the table's live index")
                    .register(registry);
            Gauge.builder(
                            "gridserve.index.size",
                            f,
                            t -> t.index().hasIndex() ? t.index().sizeOnDiskBytes() : 0)
                    .tag("table", f.table())
                    .baseUnit("bytes")
                    .description("the table's live index on disk")
                    .register(registry);
            FunctionCounter.builder(
                            "gridserve.index.rebuilds",
                            f,
                            t -> t.follower().status().rebuilds())
                    .tag("table", f.table())
                    .description("index rebuilds since start-up")
                    .register(registry);
        }
    }
}
