package dev.gridserve.tables;

import dev.gridserve.changes.Followings;
import dev.gridserve.changes.LogTables;
import dev.gridserve.changes.TableFollowing;
import dev.gridserve.schema.Schemas;
import dev.gridserve.schema.TableSchema;
import dev.gridserve.search.IndexLayout;
import dev.gridserve.search.TableIndex;
import dev.gridserve.search.TableSearcher;
import dev.gridserve.storage.TableStore;
import dev.gridserve.system.DataDirectory;
import dev.gridserve.system.LongWork;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The tables served and the request grammar of each, made once from their schemas. Every table but products
 * (whose storage and JSON were written for it) is served from its schema alone: a store over the columns its
 * schema gives it, an index in {@code DATA_DIR/index-{table}} and a follower of its own change log.
 */
@Component
public class Tables {
    /** The table whose storage, JSON and endpoints predate schema files (see the product package). */
    public static final String PRODUCTS = "products";

    private final Map<String, QueryParser> parsers = new LinkedHashMap<>();
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final Followings followings;
    private final TableStore productsStore;
    private volatile Table products;

    Tables(
            Schemas schemas,
            QueryProperties limits,
            Followings followings,
            DataDirectory data,
            JdbcClient jdbc,
            DataSource dataSource,
            LongWork longWork) {
        this.followings = followings;
        TableStore products = null;
        for (TableSchema s : schemas.all()) {
            QueryParser parser = new QueryParser(s, limits);
            parsers.put(s.name(), parser);
            if (s.name().equals(PRODUCTS)) {
                products = new TableStore(s, LogTables.of(s.name()).log(), jdbc, dataSource, longWork);
                continue;
            }
            TableStore store = new TableStore(s, LogTables.of(s.name()).log(), jdbc, dataSource, longWork);
            TableRows rows = new TableRows(store);
            TableIndex index = new TableIndex(new IndexLayout(s), data.path().resolve("index-" + s.name()));
            tables.put(
                    s.name(),
                    new Table(s, parser, store, rows, followings.add(s.name(), rows, index, new TableSearcher(index))));
        }

        this.productsStore = products;
    }

    /**
     * Products as a table of the generic kind, for what only the generic endpoints do (bulk import): its store
     * over the columns its schema gives (the ones products have), and the following products registered.
     */
    public Optional<Table> products() {
        Table t = products;
        if (t == null && productsStore != null) {
            TableFollowing f = followings.of(PRODUCTS).orElse(null);
            if (f == null) {
                return Optional.empty();
            }
            t = products = new Table(
                    productsStore.schema(), parsers.get(PRODUCTS), productsStore, new TableRows(productsStore), f);
        }
        return Optional.ofNullable(t);
    }

    public Optional<QueryParser> parser(String table) {
        return Optional.ofNullable(parsers.get(table));
    }

    /** The grammar of a table this build is known to ship. */
    public QueryParser require(String table) {
        return parser(table).orElseThrow(() -> new IllegalStateException("No schema for table " + table));
    }

    /** A table served from its schema alone (not products). */
    public Optional<Table> table(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    public Iterable<Table> all() {
        return tables.values();
    }
}
