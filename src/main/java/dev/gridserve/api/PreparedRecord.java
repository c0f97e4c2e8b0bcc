package dev.gridserve.api;

import dev.gridserve.system.ApiException;

/**
 * What can be known of an import record before the database is asked: the record as read, its match key (null:
 * it creates a row) or why it has none, and its checks as a new row (most records of an import are one; a record
 * that turns out to update a row is checked again as a partial write) or their problems.
 */
record PreparedRecord(
        ImportRecords.Record record, String key, String keyProblem, RowDraft asNew, ApiException asNewProblem) {}
