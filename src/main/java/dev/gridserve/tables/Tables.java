package dev.gridserve.tables;

import dev.gridserve.schema.Schemas;
import dev.gridserve.schema.TableSchema;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The tables served and the request grammar of each, made once from their schemas. */
@Component
public class Tables {
    private final Map<String, QueryParser> parsers = new LinkedHashMap<>();

    Tables(Schemas schemas, QueryProperties limits) {
        for (TableSchema s : schemas.all()) {
            parsers.put(s.name(), new QueryParser(s, limits));
        }
    }

    public Optional<QueryParser> parser(String table) {
        return Optional.ofNullable(parsers.get(table));
    }

    /** The grammar of a table this build is known to ship. */
    public QueryParser require(String table) {
        return parser(table).orElseThrow(() -> new IllegalStateException("No schema for table " + table));
    }
}
