package dev.gridserve.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.gridserve.schema.SchemaFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A build given up (a stop during a rebuild) ends its workers and leaves nothing behind. */
class IndexBuildTest {
    @TempDir
    Path dir;

    record Item(long id, String name) implements Row {
        @Override
        public long version() {
            return id;
        }

        @Override
        public String json() {
            return "{\"_id\":\"" + id + "\"}";
        }

        @Override
        public Object value(String field) {
            return Map.of("name", name).get(field);
        }
    }

    @Test
    void aCancelledBuildEndsEveryWorkerEvenWithRowsStillQueued() throws Exception {
        IndexLayout layout = new IndexLayout(SchemaFile.parse(
                "items.yaml", "table: items\nfields:\n  name: {type: text, searchable: true, sortable: true}\n"));
        try (TableIndex index = new TableIndex(layout, dir.resolve("index"))) {
            // the hang is a race (cancelling dropped one worker's end marker with the queued rows), so many
            // builds; a hang here shows as the limit, which no build comes near
            assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
                for (int i = 0; i < 200; i++) {
                    IndexBuild b = index.startBuild();
                    for (int r = 0; r < i % 50; r++) {
                        b.add(new Item(r + 1, "item " + r));
                    }
                    b.cancel();
                }
            });
            try (var files = Files.list(dir.resolve("index"))) {
                assertThat(files.filter(Files::isDirectory))
                        .as("every cancelled generation deleted")
                        .isEmpty();
            }
        }
    }
}
