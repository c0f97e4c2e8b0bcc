package dev.gridserve.tables;

import dev.gridserve.changes.TableFollowing;
import dev.gridserve.schema.TableSchema;
import dev.gridserve.storage.TableStore;

/** One table served from its schema alone: its grammar, its rows in the database, its index and its follower. */
public record Table(
        TableSchema schema, QueryParser parser, TableStore store, TableRows rows, TableFollowing following) {
    public String name() {
        return schema.name();
    }
}
