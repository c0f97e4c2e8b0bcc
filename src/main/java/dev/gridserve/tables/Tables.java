package dev.gridserve.tables;

import dev.gridserve.changes.Followings;
import dev.gridserve.changes.LogTables;
import dev.gridserve.schema.Schemas;
import dev.gridserve.schema.TableSchema;
import dev.gridserve.search.IndexLayout;
import dev.gridserve.search.TableIndex;
import dev.gridserve.search.TableSearcher;
import dev.gridserve.storage.TableStore;
import dev.gridserve.system.ApiException;
import dev.gridserve.system.DataDirectory;
import dev.gridserve.system.LongWork;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The tables served, each made once from its schema: its request grammar, a store over the columns the schema
 * gives it, an index and a follower of its own change log, and the shape of its stats summary (the generic one
 * unless a {@link SummaryShape} bean is registered for the table).
 */
@Component
public class Tables {
    /** The table the service started with: its generator is the default seed, its summary keeps its old shape. */
    public static final String PRODUCTS = "products";

    private final Map<String, Table> tables = new LinkedHashMap<>();

    Tables(
            Schemas schemas,
            QueryProperties limits,
            Followings followings,
            DataDirectory data,
            JdbcClient jdbc,
            DataSource dataSource,
            LongWork longWork,
            ObjectProvider<SummaryShape> shapes) {
        Map<String, SummaryShape> custom =
                shapes.orderedStream().collect(Collectors.toMap(SummaryShape::table, Function.identity()));
        for (TableSchema s : schemas.all()) {
            TableStore store = new TableStore(s, LogTables.of(s.name()).log(), jdbc, dataSource, longWork);
            TableRows rows = new TableRows(store);
            TableIndex index = new TableIndex(new IndexLayout(s), indexDirectory(data.path(), s.name()));
            TableStats generic = new TableStats(s);
            tables.put(
                    s.name(),
                    new Table(
                            s,
                            new QueryParser(s, limits),
                            store,
                            rows,
                            followings.add(s.name(), rows, index, new TableSearcher(index)),
                            custom.getOrDefault(s.name(), generic),
                            generic));
        }
    }

    /** Products keep the directory their index had before there were other tables. */
    private static Path indexDirectory(Path data, String table) {
        return data.resolve(table.equals(PRODUCTS) ? "index" : "index-" + table);
    }

    /** A table this build is known to ship. */
    public Table require(String table) {
        return table(table).orElseThrow(() -> new IllegalStateException("No schema for table " + table));
    }

    /** The table a request path names, or the client's 404 saying where the tables are listed. */
    public Table served(String name) {
        return table(name)
                .orElseThrow(() -> ApiException.notFound(
                        "There is no table named '" + (name.length() > 40 ? name.substring(0, 40) + "..." : name)
                                + "'; GET /api/v1/tables lists them."));
    }

    public Optional<Table> table(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    public Iterable<Table> all() {
        return tables.values();
    }
}
