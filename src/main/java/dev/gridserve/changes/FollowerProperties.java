package dev.gridserve.changes;

import static dev.gridserve.system.Settings.positive;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the index follows the change log: how often it polls (a NOTIFY wakes it sooner), how often it commits,
 * how long a write waits for its change to become searchable, how often index and database are reconciled,
 * and how long change-log entries are kept (an instance further behind than that rebuilds) and how often they
 * are pruned. Every one must be longer than zero.
 */
@ConfigurationProperties("gridserve.changes")
public record FollowerProperties(
        Duration pollInterval,
        Duration commitInterval,
        Duration writeVisibilityTimeout,
        Duration reconcileInterval,
        Duration retention,
        Duration pruneInterval) {
    public FollowerProperties {
        pollInterval = positive(
                pollInterval, Duration.ofMillis(200), "CHANGE_POLL_INTERVAL", "gridserve.changes.poll-interval");
        commitInterval = positive(
                commitInterval, Duration.ofSeconds(1), "INDEX_COMMIT_INTERVAL", "gridserve.changes.commit-interval");
        writeVisibilityTimeout = positive(
                writeVisibilityTimeout,
                Duration.ofSeconds(5),
                "WRITE_VISIBILITY_TIMEOUT",
                "gridserve.changes.write-visibility-timeout");
        reconcileInterval = positive(
                reconcileInterval,
                Duration.ofSeconds(60),
                "RECONCILE_INTERVAL",
                "gridserve.changes.reconcile-interval");
        retention = positive(retention, Duration.ofDays(7), "CHANGE_RETENTION", "gridserve.changes.retention");
        pruneInterval = positive(
                pruneInterval, Duration.ofMinutes(10), "CHANGE_PRUNE_INTERVAL", "gridserve.changes.prune-interval");
    }
}
