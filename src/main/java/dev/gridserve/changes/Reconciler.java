package dev.gridserve.changes;

import dev.gridserve.search.RowSource;
import dev.gridserve.search.RowSource.Checksum;
import dev.gridserve.search.TableSearcher;
import dev.gridserve.search.TableSearcher.IndexChecksum;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves the index mirrors the database: count and sums of ids and versions must agree once the index has
 * applied everything the database has. A difference at a quiet moment is divergence: it is logged as an error,
 * shown in /health and healed. Checksums over id ranges narrow it down to the ids that differ, which are
 * re-applied; only a divergence too large for that rebuilds the index beside the live one.
 */
public class Reconciler {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    /** Id ranges compared when totals differ. */
    static final int RANGES = 1024;
    /** More differing ids than this are healed by a rebuild instead of one by one. */
    static final int REPAIR_LIMIT = 10_000;

    /**
     * in_sync is null when writes kept the two sides from being compared at one point; {@code repaired} is how
     * many differing ids were re-applied (-1: a rebuild was asked for instead).
     */
    public record Result(
            Boolean inSync,
            long databaseCount,
            long indexCount,
            String databaseChecksum,
            String indexChecksum,
            long atSeq,
            Instant checkedAt,
            Integer repaired) {}

    private final RowSource source;
    private final TableSearcher searcher;
    private final ChangeFollower follower;
    private final VersionPublisher versions;
    private final FollowerProperties props;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("reconciler").unstarted(r));
    private volatile Result last;

    Reconciler(
            RowSource source,
            TableSearcher searcher,
            ChangeFollower follower,
            VersionPublisher versions,
            FollowerProperties props) {
        this.source = source;
        this.searcher = searcher;
        this.follower = follower;
        this.versions = versions;
        this.props = props;
        // the first check as soon as the index is ready (a crash can leave rows it has never heard of), then
        // one every interval
        timer.scheduleWithFixedDelay(this::checkWhenDue, 200, 200, TimeUnit.MILLISECONDS);
    }

    TableSearcher searcher() {
        return searcher;
    }

    public Result last() {
        return last;
    }

    private void checkWhenDue() {
        try {
            ChangeFollower.Status st = follower.status();
            Result r = last;
            boolean due = r == null
                    || Instant.now().isAfter(r.checkedAt().plus(props.reconcileInterval()))
                    || r.inSync() == null && Instant.now().isAfter(r.checkedAt().plusSeconds(1));
            if (due && st.ready() && !st.diverged() && st.rebuild().reason() == null) {
                check();
            }
        } catch (RuntimeException e) {
            log.debug("Reconciliation skipped: {}", e.toString());
        }
    }

    /** Compares at a moment when the index has applied exactly what the database holds; retries briefly. */
    public Result check() {
        Result r = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            VersionPublisher.Version before = versions.current();
            IndexChecksum idx = searcher.checksum();
            Checksum db = source.checksum();
            VersionPublisher.Version after = versions.current();
            boolean comparable = before.highSeen() == after.highSeen()
                    && after.highSeen() == db.maxSeq()
                    && before.holes().isEmpty()
                    && after.holes().isEmpty();
            boolean same = idx.count() == db.count()
                    && idx.idSum().equals(db.idSum())
                    && idx.versionSum().equals(db.versionSum());
            r = new Result(
                    comparable ? same : null,
                    db.count(),
                    idx.count(),
                    db.idSum() + "/" + db.versionSum(),
                    idx.idSum() + "/" + idx.versionSum(),
                    db.maxSeq(),
                    Instant.now(),
                    null);
            if (comparable) {
                break;
            }
            follower.awaitApplied(db.maxSeq());
        }
        if (Boolean.FALSE.equals(r.inSync())) {
            List<Long> ids = differingIds(r.databaseCount());
            log.error(
                    "Index diverged from the database at change {}: database {} rows ({}), index {} docs ({});" + " {}",
                    r.atSeq(),
                    r.databaseCount(),
                    r.databaseChecksum(),
                    r.indexCount(),
                    r.indexChecksum(),
                    ids == null ? "rebuilding" : "re-applying " + ids.size() + " differing rows");
            follower.diverged(ids);
            r = new Result(
                    false,
                    r.databaseCount(),
                    r.indexCount(),
                    r.databaseChecksum(),
                    r.indexChecksum(),
                    r.atSeq(),
                    r.checkedAt(),
                    ids == null ? -1 : ids.size());
        }
        last = r;
        return r;
    }

    /**
     * The ids whose row and document differ (a superset when writes interleave, which re-applying tolerates),
     * or null when more than {@link #REPAIR_LIMIT} do.
     */
    List<Long> differingIds(long databaseCount) {
        long width = Math.max(1, source.maxId() / RANGES + 1);
        Map<Long, List<Long>> db = source.rangeChecksums(width);
        Map<Long, List<Long>> idx = searcher.rangeChecksums(width);
        Set<Long> ranges = new TreeSet<>(db.keySet());
        ranges.addAll(idx.keySet());
        ranges.removeIf(b -> Objects.equals(db.get(b), idx.get(b)));
        List<Long> ids = new ArrayList<>();
        for (long b : ranges) {
            long from = b * width;
            long to = from + width - 1;
            Map<Long, Long> rows = source.versions(from, to);
            Map<Long, Long> docs = searcher.versions(from, to);
            Map<Long, Long> all = new HashMap<>(rows);
            docs.forEach(all::putIfAbsent);
            for (long id : all.keySet()) {
                if (!Objects.equals(rows.get(id), docs.get(id))) {
                    ids.add(id);
                }
            }
            if (ids.size() > REPAIR_LIMIT) {
                return null;
            }
        }
        return ids.isEmpty() ? null : ids; // totals differ but no range does: only a rebuild settles it
    }

    /** Lets a check under way finish: an interrupt during H2's file I/O would close its channel. */
    void close() throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(30, TimeUnit.SECONDS);
    }
}
