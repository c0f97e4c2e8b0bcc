package dev.gridserve.changes;

import java.time.Instant;

/**
 * What /health shows of rebuilds: why one is wanted (null when none is), whether it runs, how many rows it has
 * indexed, the last failure and when it is retried.
 */
public record RebuildStatus(String reason, boolean running, long indexed, String lastFailure, Instant retryAt) {}
