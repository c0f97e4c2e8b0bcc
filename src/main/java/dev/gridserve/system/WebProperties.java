package dev.gridserve.system;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * HTTP-facing limits (body size; the total time a client may take to send its request headers) and CORS: {@code corsOrigins} may read (default any), {@code corsWriteOrigins} may also
 * write (default none: writes only from the UI's own origin, or from clients that are not browsers).
 */
@ConfigurationProperties("gridserve.web")
public record WebProperties(
        List<String> corsOrigins, List<String> corsWriteOrigins, int maxBodyBytes, Duration headerReadTimeout) {
    public WebProperties {
        headerReadTimeout = Settings.positive(
                headerReadTimeout, Duration.ofSeconds(10), "HEADER_READ_TIMEOUT", "gridserve.web.header-read-timeout");
        corsOrigins = corsOrigins == null || corsOrigins.isEmpty() ? List.of("*") : List.copyOf(corsOrigins);
        corsWriteOrigins = corsWriteOrigins == null
                ? List.of()
                : corsWriteOrigins.stream().filter(o -> !o.isBlank()).toList();
        if (corsWriteOrigins.contains("*") || corsWriteOrigins.contains("null")) {
            throw new IllegalArgumentException("CORS_WRITE_ORIGINS (gridserve.web.cors-write-origins) must name the"
                    + " origins that may write, such as https://admin.example.com; '*' and 'null' would let any page"
                    + " change the catalogue");
        }
        maxBodyBytes = (int) Settings.within(
                maxBodyBytes, 64 * 1024, 1, 16 * 1024 * 1024, "MAX_BODY_BYTES", "gridserve.web.max-body-bytes");
    }
}
