package dev.gridserve.tables;

import dev.gridserve.changes.TableFollowing;
import dev.gridserve.schema.TableSchema;
import dev.gridserve.storage.TableStore;

/**
 * One table served from its schema: its grammar, its rows in the database, its index and follower, the shape of
 * its stats summary, and the generic shape (count/sum/avg/min/max per stats field) every table also answers in.
 */
public record Table(
        TableSchema schema,
        QueryParser parser,
        TableStore store,
        TableRows rows,
        TableFollowing following,
        SummaryShape summary,
        SummaryShape fieldsSummary) {
    public String name() {
        return schema.name();
    }
}
