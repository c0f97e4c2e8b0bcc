package dev.gridserve.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** The largest upload one import takes ({@code IMPORT_MAX_UPLOAD}, as sent: gzip counts compressed); 413 beyond. */
@ConfigurationProperties("gridserve.imports")
record ImportProperties(DataSize maxUpload) {
    ImportProperties {
        maxUpload = maxUpload == null ? DataSize.ofGigabytes(2) : maxUpload;
        if (maxUpload.toBytes() <= 0) {
            throw new IllegalArgumentException("IMPORT_MAX_UPLOAD (gridserve.imports.max-upload) must be positive");
        }
    }
}
