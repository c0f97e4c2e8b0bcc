package dev.gridserve.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The largest upload one import takes ({@code IMPORT_MAX_UPLOAD}, as sent: gzip counts compressed; 413 beyond),
 * and how many batches of an all-or-nothing import are written under a savepoint ({@code IMPORT_MAX_SAVEPOINTS};
 * PostgreSQL keeps 64 subtransactions per session in shared memory, and more slow every other session while the
 * import runs).
 */
@ConfigurationProperties("gridserve.imports")
record ImportProperties(DataSize maxUpload, Integer maxSavepoints) {
    static final int DEFAULT_MAX_SAVEPOINTS = 60;

    ImportProperties {
        maxUpload = maxUpload == null ? DataSize.ofGigabytes(2) : maxUpload;
        maxSavepoints = maxSavepoints == null ? DEFAULT_MAX_SAVEPOINTS : maxSavepoints;
        if (maxUpload.toBytes() <= 0) {
            throw new IllegalArgumentException("IMPORT_MAX_UPLOAD (gridserve.imports.max-upload) must be positive");
        }
        if (maxSavepoints < 0 || maxSavepoints > 64) {
            throw new IllegalArgumentException(
                    "IMPORT_MAX_SAVEPOINTS (gridserve.imports.max-savepoints) must be between 0 and 64");
        }
    }
}
