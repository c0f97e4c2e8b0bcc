package dev.gridserve.api;

import dev.gridserve.schema.FieldDef;
import dev.gridserve.security.KeyCommand;
import dev.gridserve.system.ApiException;
import dev.gridserve.tables.Table;
import dev.gridserve.tables.Tables;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code --import FILE --table NAME [--match FIELD] [--mode skip_invalid]}: the bulk import of the API from the
 * command line, against the configured database, with a progress bar on the terminal; then the process stops.
 * NDJSON ({@code .ndjson}, {@code .jsonl}) or CSV ({@code .csv}), gzip when the name ends in {@code .gz}. Exit
 * code 0 when every row was loaded, 1 when some were rejected or the import failed, 2 for a wrong command.
 */
public final class ImportCommand {
    private static final List<String> OPTIONS = List.of("--import", "--table", "--match", "--mode");

    private ImportCommand() {}

    public static boolean handles(String[] args) {
        return Arrays.stream(args).anyMatch(a -> a.equals("--import") || a.startsWith("--import="));
    }

    /** The application's own arguments: the import's removed, random ports (this run serves nothing). */
    public static String[] applicationArgs(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (OPTIONS.contains(name)) {
                if (!a.contains("=") && i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    i++;
                }
                continue;
            }
            out.add(a);
        }
        out.add("--server.port=0");
        out.add("--management.server.port=0");
        return out.toArray(String[]::new);
    }

    /** Runs the import in the started application {@code ctx}; returns the exit code. */
    public static int run(ConfigurableApplicationContext ctx, String[] args, PrintStream out) {
        Optional<String> file = KeyCommand.value(args, "--import");
        Optional<String> name = KeyCommand.value(args, "--table");
        if (file.isEmpty() || name.isEmpty()) {
            out.println(
                    "Usage: --import FILE --table NAME [--match _id|UNIQUE_FIELD] [--mode all_or_nothing|skip_invalid]");
            return 2;
        }
        Path path = Path.of(file.get());
        if (!Files.isReadable(path) || !Files.isRegularFile(path)) {
            out.println("Cannot read " + path.toAbsolutePath() + ".");
            return 2;
        }
        Tables tables = ctx.getBean(Tables.class);
        Optional<Table> table = tables.table(name.get());
        if (table.isEmpty()) {
            out.println("There is no table named '" + name.get() + "'.");
            return 2;
        }
        String mode = KeyCommand.value(args, "--mode").orElse("all_or_nothing");
        if (!mode.equals("all_or_nothing") && !mode.equals("skip_invalid")) {
            out.println("--mode must be all_or_nothing or skip_invalid.");
            return 2;
        }
        FieldDef match;
        try {
            match = ImportController.match(
                    table.get(), KeyCommand.value(args, "--match").orElse(null));
        } catch (ApiException e) {
            out.println("--match " + e.errors().getFirst().message() + ".");
            return 2;
        }
        String lower = path.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean gzip = lower.endsWith(".gz");
        String plain = gzip ? lower.substring(0, lower.length() - 3) : lower;
        ImportJobs.Format format;
        if (plain.endsWith(".csv")) {
            format = ImportJobs.Format.CSV;
        } else if (plain.endsWith(".ndjson") || plain.endsWith(".jsonl")) {
            format = ImportJobs.Format.NDJSON;
        } else {
            out.println("Name the file .ndjson, .jsonl or .csv (.gz when compressed) so its format is known.");
            return 2;
        }
        try {
            gzip = gzip || gzipped(path);
            ImportJob job = ctx.getBean(ImportJobs.class)
                    .submit(
                            ImportJobs.newId(),
                            table.get(),
                            path,
                            format,
                            gzip,
                            mode.equals("all_or_nothing"),
                            match,
                            "cli",
                            false);
            while (job.state == ImportJob.State.QUEUED
                    || job.state == ImportJob.State.RUNNING
                    || job.state == ImportJob.State.INDEXING) {
                out.print("\r" + bar(job));
                out.flush();
                Thread.sleep(200);
            }
            out.println("\r" + bar(job));
            Map<String, Object> report = job.view();
            out.printf(
                    "%s: %d read, %d inserted, %d updated, %d rejected%s%n",
                    report.get("state"),
                    job.read,
                    job.inserted,
                    job.updated,
                    job.rejected,
                    job.rolledBack ? " (all or nothing: nothing was written)" : "");
            if (job.failure != null) {
                out.println(job.failure);
            }
            @SuppressWarnings("unchecked")
            List<ImportJob.Rejection> errors = (List<ImportJob.Rejection>) report.get("errors");
            errors.stream().limit(20).forEach(e -> out.println("  " + e.message()));
            if (job.rejected > errors.size()) {
                out.println("  ...");
            }
            return job.state == ImportJob.State.SUCCEEDED && job.rejected == 0 ? 0 : 1;
        } catch (IOException e) {
            out.println("The import could not start: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static boolean gzipped(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** [##########----------]  52%  52,000 rows  18,400 rows/s  ETA 3 s  (indexing) */
    static String bar(ImportJob job) {
        Map<String, Object> v = job.view();
        double share = v.get("progress") == null ? 0 : ((Number) v.get("progress")).doubleValue();
        int filled = (int) Math.round(share * 30);
        StringBuilder sb = new StringBuilder("[");
        sb.append("#".repeat(filled)).append("-".repeat(30 - filled)).append("] ");
        sb.append(String.format(Locale.ROOT, "%3d%%  %,d rows", Math.round(share * 100), job.read));
        Object rate = v.get("rows_per_second");
        if (rate != null) {
            sb.append(String.format(Locale.ROOT, "  %,d rows/s", ((Number) rate).longValue()));
        }
        Object eta = v.get("eta_seconds");
        if (eta != null) {
            sb.append("  ETA ").append(eta).append(" s");
        }
        if (job.rejected > 0) {
            sb.append(String.format(Locale.ROOT, "  %,d rejected", job.rejected));
        }
        if (job.state == ImportJob.State.INDEXING) {
            sb.append("  (indexing)");
        }
        return sb.append("   ").toString();
    }
}
