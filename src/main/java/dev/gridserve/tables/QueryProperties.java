package dev.gridserve.tables;

import dev.gridserve.system.Settings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits of list requests, and the time limit of one request's index work ({@code timeout}). {@code resultWindow} bounds page-number paging (offset + page_size); deeper pages
 * are reached with cursors, which cost the same at any depth.
 */
@ConfigurationProperties("gridserve.query")
public record QueryProperties(int defaultPageSize, int resultWindow, int maxSearchLength, Duration timeout) {
    public QueryProperties {
        timeout = Settings.positive(timeout, Duration.ofSeconds(2), "QUERY_TIMEOUT", "gridserve.query.timeout");
        defaultPageSize =
                defaultPageSize <= 0 ? 50 : Math.min(defaultPageSize, dev.gridserve.search.TableQuery.MAX_PAGE_SIZE);
        resultWindow = resultWindow <= 0 ? 100_000 : resultWindow;
        maxSearchLength = maxSearchLength <= 0 ? 200 : maxSearchLength;
    }
}
