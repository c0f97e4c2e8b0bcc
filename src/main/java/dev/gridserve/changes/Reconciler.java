package dev.gridserve.changes;

import dev.gridserve.product.ProductRepository;
import dev.gridserve.product.ProductRepository.Checksum;
import dev.gridserve.search.ProductSearcher;
import dev.gridserve.search.ProductSearcher.IndexChecksum;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Proves the index mirrors the database: count and sums of ids and versions must agree once the index has
 * applied everything the database has. A difference at a quiet moment is divergence: it is logged as an
 * error, shown in /health, and healed by a rebuild.
 */
@Component
public class Reconciler implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    /** in_sync is null when writes kept the two sides from being compared at one point. */
    public record Result(
            Boolean inSync,
            long databaseCount,
            long indexCount,
            String databaseChecksum,
            String indexChecksum,
            long atSeq,
            Instant checkedAt) {}

    private final ProductRepository products;
    private final ProductSearcher searcher;
    private final ChangeFollower follower;
    private final dev.gridserve.search.ProductIndex index;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("reconciler").unstarted(r));
    private volatile Result last;

    Reconciler(
            ProductRepository products,
            ProductSearcher searcher,
            ChangeFollower follower,
            dev.gridserve.search.ProductIndex index,
            FollowerProperties p) {
        this.index = index;
        this.products = products;
        this.searcher = searcher;
        this.follower = follower;
        long every = p.reconcileInterval().toMillis();
        // soon after start too: a crash mid-bulk-load leaves rows the index has never heard of
        timer.scheduleWithFixedDelay(this::checkQuietly, Math.min(every, 5000), every, TimeUnit.MILLISECONDS);
    }

    public Result last() {
        return last;
    }

    /** Compares at a moment when the index has applied exactly what the database holds; retries briefly. */
    public Result check() {
        Result r = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            long before = follower.highSeen();
            boolean gapsBefore = follower.gapsOpen();
            IndexChecksum idx = searcher.checksum();
            Checksum db = products.checksum();
            long after = follower.highSeen();
            boolean gapsOpen = gapsBefore || follower.gapsOpen();
            boolean comparable = before == after && after == db.maxSeq();
            boolean same = idx.count() == db.count()
                    && idx.idSum().equals(db.idSum())
                    && idx.versionSum().equals(db.versionSum());
            // With a change-log gap open, a difference may be a late commit not yet applied: not a verdict.
            Boolean verdict = !comparable ? null : same ? Boolean.TRUE : gapsOpen ? null : Boolean.FALSE;
            r = new Result(
                    verdict,
                    db.count(),
                    idx.count(),
                    db.idSum() + "/" + db.versionSum(),
                    idx.idSum() + "/" + idx.versionSum(),
                    db.maxSeq(),
                    Instant.now());
            comparable = verdict != null;
            if (comparable) {
                break;
            }
            follower.awaitApplied(db.maxSeq());
        }
        last = r;
        if (Boolean.FALSE.equals(r.inSync())) {
            log.error(
                    "Index diverged from the database at change {}: database {} rows ({}), index {} docs ({});"
                            + " rebuilding",
                    r.atSeq(),
                    r.databaseCount(),
                    r.databaseChecksum(),
                    r.indexCount(),
                    r.indexChecksum());
            follower.requestRebuild();
        }
        return r;
    }

    private void checkQuietly() {
        try {
            if (follower.ready() && index.rebuildProgress() < 0) {
                check();
            }
        } catch (RuntimeException e) {
            log.debug("Reconciliation skipped: {}", e.toString());
        }
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
