package dev.gridserve.changes;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the index follows the change log: poll interval, how long a sequence gap (a transaction that took a
 * number but has not committed, or rolled back) is waited for, how often the index commits, and how long a
 * write waits for its change to become searchable, and how often the index is reconciled with the database.
 */
@ConfigurationProperties("gridserve.changes")
public record FollowerProperties(
        Duration pollInterval,
        Duration gapTimeout,
        Duration commitInterval,
        Duration writeVisibilityTimeout,
        Duration reconcileInterval) {
    public FollowerProperties {
        pollInterval = pollInterval == null ? Duration.ofMillis(200) : pollInterval;
        gapTimeout = gapTimeout == null ? Duration.ofSeconds(30) : gapTimeout;
        commitInterval = commitInterval == null ? Duration.ofSeconds(1) : commitInterval;
        writeVisibilityTimeout = writeVisibilityTimeout == null ? Duration.ofSeconds(5) : writeVisibilityTimeout;
        reconcileInterval = reconcileInterval == null ? Duration.ofSeconds(60) : reconcileInterval;
    }
}
