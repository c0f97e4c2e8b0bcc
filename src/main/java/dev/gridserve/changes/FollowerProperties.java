package dev.gridserve.changes;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the index follows the change log: poll interval, how long a sequence gap (a transaction that took a
 * number but has not committed, or rolled back) is waited for, how often the index commits, and how long a
 * write waits for its change to become searchable, how often the index is reconciled with the database, and how long change-log entries are kept
 * (an instance further behind than that rebuilds).
 */
@ConfigurationProperties("gridserve.changes")
public record FollowerProperties(
        Duration pollInterval,
        Duration gapTimeout,
        Duration commitInterval,
        Duration writeVisibilityTimeout,
        Duration reconcileInterval,
        Duration retention,
        Duration pruneInterval) {
    public FollowerProperties {
        pollInterval = pollInterval == null ? Duration.ofMillis(200) : pollInterval;
        gapTimeout = gapTimeout == null ? Duration.ofSeconds(30) : gapTimeout;
        commitInterval = commitInterval == null ? Duration.ofSeconds(1) : commitInterval;
        writeVisibilityTimeout = writeVisibilityTimeout == null ? Duration.ofSeconds(5) : writeVisibilityTimeout;
        reconcileInterval = reconcileInterval == null ? Duration.ofSeconds(60) : reconcileInterval;
        retention = retention == null ? Duration.ofDays(7) : retention;
        pruneInterval = pruneInterval == null ? Duration.ofMinutes(10) : pruneInterval;
    }
}
