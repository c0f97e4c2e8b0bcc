package dev.gridserve.tables;

import dev.gridserve.search.Aggregates;
import dev.gridserve.search.Summary;

/**
 * What a table's {@code /stats/summary} asks the index to aggregate and how it writes the result. Every table
 * gets {@link TableStats} from its schema; a bean of this type replaces it for the table it names (products
 * keep the shape of the service they replaced).
 */
public interface SummaryShape {
    String table();

    Summary summary();

    /** The response body, for Jackson to write. */
    Object write(Aggregates aggregates);
}
