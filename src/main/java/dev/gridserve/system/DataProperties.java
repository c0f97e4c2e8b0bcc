package dev.gridserve.system;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Local state: the data directory (H2 files and the Lucene index), how many products to seed into an empty
 * database on first start (0 disables), and whether start-up waits for the index before serving.
 */
@ConfigurationProperties("gridserve.data")
public record DataProperties(Path dir, int seedOnEmpty, long seedRandom, boolean awaitIndexOnStart) {
    public DataProperties {
        dir = dir == null ? Path.of("data") : dir;
        if (seedOnEmpty < 0) {
            throw new IllegalArgumentException("gridserve.data.seed-on-empty must be >= 0");
        }
    }
}
