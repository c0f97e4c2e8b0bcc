package dev.gridserve.health;

import dev.gridserve.cache.ResponseCache;
import dev.gridserve.changes.ChangeFollower;
import dev.gridserve.changes.DatabaseMonitor;
import dev.gridserve.changes.Followings;
import dev.gridserve.changes.Reconciler;
import dev.gridserve.changes.TableFollowing;
import dev.gridserve.changes.VersionPublisher;
import dev.gridserve.search.TableIndex;
import dev.gridserve.seed.IndexStartup;
import dev.gridserve.seed.Seeder;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The detailed view of the instance. Its status code says whether reads can be answered (200, even when
 * degraded: reads keep working through a database outage, and restarting would not help); the body says what
 * is degraded and why. Orchestrators use the probes /health/live and /health/ready instead.
 */
@RestController
class HealthController {
    private final ChangeFollower follower;
    private final VersionPublisher versions;
    private final TableIndex index;
    private final Reconciler reconciler;
    private final ResponseCache cache;
    private final IndexStartup startup;
    private final Seeder seeder;
    private final HealthProperties props;
    private final ApplicationAvailability availability;
    private final DatabaseMonitor database;
    private final Followings followings;
    private final IndexMetrics metrics;

    HealthController(
            ChangeFollower follower,
            VersionPublisher versions,
            TableIndex index,
            Reconciler reconciler,
            ResponseCache cache,
            IndexStartup startup,
            Seeder seeder,
            HealthProperties props,
            ApplicationAvailability availability,
            DatabaseMonitor database,
            Followings followings,
            IndexMetrics metrics) {
        this.followings = followings;
        this.metrics = metrics;
        this.availability = availability;
        this.database = database;
        this.follower = follower;
        this.versions = versions;
        this.index = index;
        this.reconciler = reconciler;
        this.cache = cache;
        this.startup = startup;
        this.seeder = seeder;
        this.props = props;
    }

    /** Liveness: the process works (an orchestrator restarts it when not); says nothing about the database. */
    @GetMapping("/health/live")
    @Operation(summary = "Liveness probe: 200 while the process works")
    ResponseEntity<Map<String, Object>> live() {
        boolean ok = availability.getLivenessState() == LivenessState.CORRECT;
        return ResponseEntity.status(ok ? 200 : 503).body(Map.of("status", ok ? "UP" : "DOWN"));
    }

    /**
     * Readiness: reads can be answered (the index has caught up and the server is not shutting down). Stays
     * 200 through a database outage, since reads are served from the index.
     */
    @GetMapping("/health/ready")
    @Operation(summary = "Readiness probe: 200 when reads can be answered")
    ResponseEntity<Map<String, Object>> ready() {
        boolean ok = follower.ready() && availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
        return ResponseEntity.status(ok ? 200 : 503).body(Map.of("status", ok ? "UP" : "OUT_OF_SERVICE"));
    }

    /** Every table but products (whose index is above): whether it is ready, its rows and its lag in changes. */
    private Map<String, Object> tables(List<String> problems) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (TableFollowing f : followings.all()) {
            if (f.follower() == follower) {
                continue;
            }
            ChangeFollower.Status st = f.follower().status();
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("ready", st.ready());
            t.put("documents", f.index().hasIndex() ? f.index().documents() : 0);
            t.put("applied_seq", f.versions().current().safe());
            t.put("rebuilds", st.rebuilds());
            t.put("reconciliation", f.reconciler().last());
            if (st.rebuild().reason() != null) {
                t.put("rebuilding", st.rebuild().reason());
            }
            if (st.rebuild().lastFailure() != null) {
                problems.add("The last rebuild of the " + f.table() + " index failed: "
                        + st.rebuild().lastFailure());
            }
            out.put(f.table(), t);
        }
        return out;
    }

    @GetMapping("/health")
    @Operation(summary = "Instance health: database, cache, index, lag, reconciliation, and what is degraded")
    ResponseEntity<Map<String, Object>> health() {
        ChangeFollower.Status st = follower.status();
        VersionPublisher.Version v = versions.current();
        List<String> problems = new ArrayList<>();
        // from the database probe's last answer: /health never waits on a database that stopped answering
        Long dbSeq = database.reachable() && database.latestSeq() >= 0 ? database.latestSeq() : null;
        Duration lag = metrics.lag();
        if (dbSeq == null) {
            problems.add("The database is unreachable; reads are served from the index, writes are refused.");
        }
        if (st.failing() && dbSeq != null) {
            problems.add("The change log could not be read on the last attempt.");
        }
        if (st.ready() && lag != null && lag.compareTo(props.maxLag()) > 0) {
            problems.add("The index is " + lag.toSeconds() + " s behind the database (more than "
                    + props.maxLag().toSeconds() + " s).");
        }
        Reconciler.Result rec = reconciler.last();
        if (st.diverged() || rec != null && Boolean.FALSE.equals(rec.inSync())) {
            problems.add("The index differed from the database at the last reconciliation; it is being healed.");
        }
        if (st.rebuild().lastFailure() != null) {
            problems.add("The last index rebuild failed: " + st.rebuild().lastFailure());
        }
        IndexStartup.Status start = startup.status();
        if (start.lastFailure() != null) {
            problems.add("Start-up failed (" + start.lastFailure() + "); trying again at " + start.nextAttempt() + ".");
        }

        Map<String, Object> idx = new LinkedHashMap<>();
        idx.put("ready", st.ready());
        idx.put("documents", index.documents());
        idx.put("applied_seq", v.safe());
        idx.put("lag", dbSeq == null ? null : Math.max(0, dbSeq - st.highSeen()));
        idx.put("lag_seconds", lag == null ? null : lag.toMillis() / 1000.0);
        idx.put("open_gaps", st.holes());
        idx.put("size_bytes", index.sizeOnDiskBytes());
        idx.put("rebuilds", st.rebuilds());
        idx.put("reconciliation", rec);
        if (st.rebuild().reason() != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("reason", st.rebuild().reason());
            r.put("indexed", st.rebuild().indexed());
            r.put("retry_at", st.rebuild().retryAt());
            idx.put("rebuilding", r);
        }
        Seeder.Status seeding = seeder.status();
        if (seeding != null) {
            idx.put("seeding", Map.of("loaded", seeding.loaded(), "total", seeding.total()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", !st.ready() ? "starting" : problems.isEmpty() ? "healthy" : "degraded");
        body.put("problems", problems);
        body.put("database", dbSeq == null ? "disconnected" : "connected");
        body.put("cache", cache.status());
        body.put("index", idx);
        body.put("tables", tables(problems));
        return ResponseEntity.status(st.ready() ? 200 : 503).body(body);
    }
}
