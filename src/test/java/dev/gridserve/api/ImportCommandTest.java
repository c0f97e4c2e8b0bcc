package dev.gridserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Apps;
import dev.gridserve.support.Http;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** {@code --import FILE --table NAME} on the embedded default: the file is loaded, the terminal shows a progress bar. */
class ImportCommandTest {
    @TempDir
    Path data;

    @TempDir
    Path files;

    @Test
    void loadsAFileReportsRejectionsAndRefusesAWrongCommand() throws Exception {
        String[] props = Apps.embedded(data);
        Path good = files.resolve("orders.ndjson.gz");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            sb.append("{\"order_number\":\"CLI-")
                    .append(i)
                    .append("\",\"customer\":\"Cli Customer\",")
                    .append("\"status\":\"paid\",\"country\":\"Chile\",\"total\":1.5,\"items\":1,")
                    .append("\"placed_at\":\"2026-01-01T00:00:00Z\"}\n");
        }
        try (GZIPOutputStream z = new GZIPOutputStream(Files.newOutputStream(good))) {
            z.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        Path bad = files.resolve("bad.csv");
        Files.writeString(bad, "order_number,customer,status\nCLI-X,Someone,lost\n");
        try (ConfigurableApplicationContext app = Apps.start(props)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = ImportCommand.run(
                    app,
                    new String[] {"--import", good.toString(), "--table=orders", "--match", "order_number"},
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(code).as(printed).isZero();
            assertThat(printed).contains("[##############################] 100%", "succeeded: 300 read, 300 inserted");
            Http http = Apps.http(app);
            assertThat(http.get("/api/v1/orders?search=cli%20customer")
                            .json()
                            .get("total")
                            .asLong())
                    .isEqualTo(300);

            out.reset();
            code = ImportCommand.run(
                    app,
                    new String[] {"--import=" + bad, "--table", "orders"},
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            printed = out.toString(StandardCharsets.UTF_8);
            assertThat(code).as(printed).isEqualTo(1);
            assertThat(printed).contains("1 rejected", "nothing was written", "Line 2: 'status' must be one of");

            for (String[] wrong : new String[][] {
                {"--import", good.toString()},
                {"--import", files.resolve("missing.csv").toString(), "--table", "orders"},
                {"--import", good.toString(), "--table", "nope"},
                {"--import", good.toString(), "--table", "orders", "--match", "customer"},
                {"--import", bad.toString().replace(".csv", ".txt"), "--table", "orders"}
            }) {
                if (wrong[1].endsWith(".txt")) {
                    Files.writeString(Path.of(wrong[1]), "x");
                }
                out.reset();
                assertThat(ImportCommand.run(app, wrong, new PrintStream(out, true, StandardCharsets.UTF_8)))
                        .as(String.join(" ", wrong) + ": " + out)
                        .isEqualTo(2);
            }
        }
        assertThat(ImportCommand.applicationArgs(new String[] {"--import", "f.csv", "--table=orders", "--x=1"}))
                .containsExactly("--x=1", "--server.port=0", "--management.server.port=0");
    }
}
