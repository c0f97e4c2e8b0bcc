package dev.gridserve.export;

import dev.gridserve.system.Settings;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How many exports may run at once on an instance ({@code maxConcurrent}): each holds a core and a point-in-time
 * view of the index while it streams, so a few at a time; one more is a 503 with Retry-After.
 */
@ConfigurationProperties("gridserve.export")
public record ExportProperties(int maxConcurrent) {
    public ExportProperties {
        maxConcurrent = (int)
                Settings.within(maxConcurrent, 2, 1, 64, "EXPORT_MAX_CONCURRENT", "gridserve.export.max-concurrent");
    }
}
