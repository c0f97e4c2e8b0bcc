package dev.gridserve.health;

import dev.gridserve.system.Settings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** When /health calls the index degraded: lagging further behind the database than {@code maxLag}. */
@ConfigurationProperties("gridserve.health")
public record HealthProperties(Duration maxLag) {
    public HealthProperties {
        maxLag = Settings.positive(maxLag, Duration.ofSeconds(30), "HEALTH_MAX_LAG", "gridserve.health.max-lag");
    }
}
