package dev.gridserve.system;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** HTTP-facing limits and CORS origins. */
@ConfigurationProperties("gridserve.web")
public record WebProperties(List<String> corsOrigins, int maxBodyBytes) {
    public WebProperties {
        corsOrigins = corsOrigins == null || corsOrigins.isEmpty() ? List.of("*") : List.copyOf(corsOrigins);
        maxBodyBytes = maxBodyBytes <= 0 ? 64 * 1024 : maxBodyBytes;
    }
}
