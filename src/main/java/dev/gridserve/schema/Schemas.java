package dev.gridserve.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * The tables this service knows, read once at start-up from the schema files inside the jar
 * ({@code schemas/*.yaml}) and from the schema directory ({@code SCHEMA_DIR}); a file that cannot be used stops
 * the start with every problem it has.
 */
@Component
public class Schemas {
    static final String LOCATION = "classpath*:schemas/*.yaml";

    private final Map<String, TableSchema> tables;

    public Schemas() {
        this(builtIn());
    }

    /** The built-in tables and those of the schema directory, if one is set. */
    @Autowired
    Schemas(SchemaProperties props) {
        this(withDirectory(props.dir()));
    }

    private static List<TableSchema> withDirectory(Path dir) {
        List<TableSchema> out = new ArrayList<>(builtIn());
        if (dir == null) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (Files.isRegularFile(f) && (name.endsWith(".yaml") || name.endsWith(".yml"))) {
                    out.add(SchemaFile.parse(f.toString(), Files.readString(f, StandardCharsets.UTF_8)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The schema directory " + dir + " could not be read: " + e.getMessage(), e);
        }
        return out;
    }

    public Schemas(List<TableSchema> schemas) {
        Map<String, TableSchema> m = new LinkedHashMap<>();
        for (TableSchema s : schemas) {
            TableSchema before = m.putIfAbsent(s.name(), s);
            if (before != null) {
                throw new SchemaException(
                        s.source(), List.of("the table '" + s.name() + "' is already defined by " + before.source()));
            }
        }
        this.tables = Map.copyOf(m);
    }

    public List<TableSchema> all() {
        return tables.values().stream()
                .sorted(Comparator.comparing(TableSchema::name))
                .toList();
    }

    public Optional<TableSchema> table(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    static List<TableSchema> builtIn() {
        try {
            List<TableSchema> out = new ArrayList<>();
            for (Resource r : new PathMatchingResourcePatternResolver().getResources(LOCATION)) {
                out.add(SchemaFile.parse(r.getFilename(), r.getContentAsString(StandardCharsets.UTF_8)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("The built-in table schemas could not be read", e);
        }
    }
}
