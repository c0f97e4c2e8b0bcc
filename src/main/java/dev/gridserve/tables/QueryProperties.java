package dev.gridserve.tables;

import dev.gridserve.system.Settings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits of list requests, the time limit of one request's index work ({@code timeout}), and how many threads
 * run index work ({@code threads}, one per core when unset). {@code resultWindow} bounds page-number paging
 * (offset + page_size); deeper pages are reached with cursors, which cost the same at any depth.
 */
@ConfigurationProperties("gridserve.query")
public record QueryProperties(
        int defaultPageSize, int resultWindow, int maxSearchLength, Duration timeout, int threads) {
    /** Threads running index work when {@code QUERY_THREADS} is unset: one per core. */
    static final int DEFAULT_THREADS = Runtime.getRuntime().availableProcessors();

    public QueryProperties {
        if (threads < 0 || threads > 1024) {
            throw new IllegalArgumentException(
                    "QUERY_THREADS (gridserve.query.threads) must be between 1 and 1024, or 0 for one per core; got "
                            + threads);
        }
        threads = threads == 0 ? DEFAULT_THREADS : threads;
        timeout = Settings.positive(timeout, Duration.ofSeconds(2), "QUERY_TIMEOUT", "gridserve.query.timeout");
        defaultPageSize =
                defaultPageSize <= 0 ? 50 : Math.min(defaultPageSize, dev.gridserve.search.TableQuery.MAX_PAGE_SIZE);
        resultWindow = resultWindow <= 0 ? 100_000 : resultWindow;
        maxSearchLength = maxSearchLength <= 0 ? 200 : maxSearchLength;
    }
}
