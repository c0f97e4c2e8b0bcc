package dev.gridserve.api;

import dev.gridserve.support.Apps;
import dev.gridserve.support.Http;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** Imports on the embedded default (H2): its unique indexes refuse a batch as PostgreSQL's do. */
class ImportOnH2Test {
    @TempDir
    Path data;

    @Test
    void aValueTakenByARowOfTheTableIsRejectedByLineAndTheRestOfItsBatchIsWritten() throws Exception {
        try (ConfigurableApplicationContext app = Apps.start(Apps.embedded(data))) {
            Http http = Apps.http(app);
            ImportTest.takenValues(http, "TAKEN-H2");
        }
    }
}
