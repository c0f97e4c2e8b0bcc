package dev.gridserve.schema;

import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where table schemas come from besides the ones inside the jar: every {@code *.yaml} or {@code *.yml} file in
 * {@code dir} ({@code SCHEMA_DIR}; none when empty). A directory that is set but missing stops the start.
 */
@ConfigurationProperties("gridserve.schemas")
public record SchemaProperties(Path dir) {
    public SchemaProperties {
        if (dir != null && dir.toString().isBlank()) {
            dir = null;
        }
        if (dir != null && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("SCHEMA_DIR (gridserve.schemas.dir) is " + dir.toAbsolutePath()
                    + ", which is not a directory; create it, or leave the setting empty for the built-in tables"
                    + " only");
        }
    }
}
