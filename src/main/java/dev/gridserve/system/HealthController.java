package dev.gridserve.system;

import dev.gridserve.cache.ResponseCache;
import dev.gridserve.changes.ChangeFollower;
import dev.gridserve.changes.ChangeLog;
import dev.gridserve.changes.Reconciler;
import dev.gridserve.search.ProductIndex;
import io.swagger.v3.oas.annotations.Operation;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Liveness and consistency at a glance; 503 when the database is unreachable or the index is not ready. */
@RestController
class HealthController {
    private final ChangeLog changes;
    private final ChangeFollower follower;
    private final ProductIndex index;
    private final Reconciler reconciler;
    private final ResponseCache cache;

    HealthController(
            ChangeLog changes,
            ChangeFollower follower,
            ProductIndex index,
            Reconciler reconciler,
            ResponseCache cache) {
        this.cache = cache;
        this.changes = changes;
        this.follower = follower;
        this.index = index;
        this.reconciler = reconciler;
    }

    @GetMapping("/health")
    @Operation(summary = "Service health: database, cache, index size, lag and reconciliation")
    ResponseEntity<Map<String, Object>> health() {
        Long dbSeq = null;
        try {
            dbSeq = changes.maxSeq();
        } catch (RuntimeException e) {
            // reported below as disconnected
        }
        Map<String, Object> idx = new LinkedHashMap<>();
        idx.put("ready", follower.ready());
        idx.put("documents", index.documents());
        idx.put("applied_seq", follower.safeSeq());
        idx.put("lag", dbSeq == null ? null : Math.max(0, dbSeq - follower.highSeen()));
        idx.put("size_bytes", index.sizeOnDiskBytes());
        idx.put("reconciliation", reconciler.last());
        if (index.rebuildProgress() >= 0) {
            idx.put("rebuilding", Map.of("indexed", index.rebuildProgress()));
        }
        boolean healthy = dbSeq != null && follower.ready();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", healthy ? "healthy" : !follower.ready() ? "starting" : "degraded");
        body.put("database", dbSeq == null ? "disconnected" : "connected");
        body.put("cache", cache.status());
        body.put("index", idx);
        return ResponseEntity.status(healthy ? 200 : 503).body(body);
    }
}
