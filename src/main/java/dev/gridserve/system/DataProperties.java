package dev.gridserve.system;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Local state: the data directory (H2 files and the Lucene index) and how many products to seed into an empty
 * database on first start (0 disables).
 */
@ConfigurationProperties("gridserve.data")
public record DataProperties(Path dir, int seedOnEmpty, long seedRandom) {
    public DataProperties {
        dir = dir == null ? Path.of("data") : dir;
        if (seedOnEmpty < 0) {
            throw new IllegalArgumentException("gridserve.data.seed-on-empty must be >= 0");
        }
    }
}
