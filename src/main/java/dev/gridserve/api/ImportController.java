package dev.gridserve.api;

import dev.gridserve.schema.FieldDef;
import dev.gridserve.security.Callers;
import dev.gridserve.system.ApiException;
import dev.gridserve.tables.QueryParser;
import dev.gridserve.tables.Table;
import dev.gridserve.tables.Tables;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Bulk import into any table (products included): the upload (NDJSON or CSV, gzip accepted) is taken whole, then
 * loaded as a job whose progress and report GET /api/v1/jobs/{id} shows.
 */
@RestController
@Tag(name = "import")
class ImportController {
    private final Tables tables;
    private final ImportJobs jobs;
    private final ImportProperties props;

    ImportController(Tables tables, ImportJobs jobs, ImportProperties props) {
        this.tables = tables;
        this.jobs = jobs;
        this.props = props;
    }

    @PostMapping(value = "/api/v1/{table}/import", consumes = MediaType.ALL_VALUE, produces = "application/json")
    @Operation(
            summary = "Load many rows from NDJSON or CSV (gzip accepted) as a job: 202 with the job to poll",
            description = "Every record is validated as a single POST is. With match=_id (the default) a record"
                    + " with _id updates that row and one without creates a row; with match={unique field} the"
                    + " row holding that value is updated, else one is created. all_or_nothing (the default)"
                    + " writes nothing when any record is rejected; skip_invalid loads the rest. Writer role.")
    @Parameter(in = ParameterIn.QUERY, name = "mode", description = "all_or_nothing (default) or skip_invalid")
    @Parameter(in = ParameterIn.QUERY, name = "match", description = "_id (default) or a unique field")
    ResponseEntity<Map<String, Object>> start(@PathVariable("table") String name, HttpServletRequest req)
            throws IOException {
        Table t = tables.served(name);
        QueryParser.rejectUnknown(req.getParameterMap(), Set.of("mode", "match"), Set.of());
        String mode = req.getParameter("mode") == null
                ? "all_or_nothing"
                : req.getParameter("mode").strip();
        if (!mode.equals("all_or_nothing") && !mode.equals("skip_invalid")) {
            throw ApiException.invalid("mode", "must be all_or_nothing or skip_invalid");
        }
        FieldDef match = match(t, req.getParameter("match"));
        ImportJobs.Format format = format(req.getContentType());
        String encoding = req.getHeader("Content-Encoding");
        boolean gzip = encoding != null && encoding.strip().equalsIgnoreCase("gzip");
        if (encoding != null && !gzip && !encoding.strip().equalsIgnoreCase("identity")) {
            throw new ApiException(
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "The upload may be sent as is or gzip-compressed (Content-Encoding: gzip), not " + encoding + ".",
                    java.util.List.of(),
                    null);
        }
        long max = props.maxUpload().toBytes();
        if (req.getContentLengthLong() > max) {
            throw tooLarge(max);
        }
        String id = ImportJobs.newId();
        Path upload = jobs.newUpload(id);
        long size = 0;
        try (InputStream in = req.getInputStream();
                OutputStream out = Files.newOutputStream(upload)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                size += n;
                if (size > max) {
                    throw tooLarge(max);
                }
                out.write(buf, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(upload);
            if (e instanceof ApiException a) {
                throw a;
            }
            throw ApiException.badRequest("The upload could not be read.");
        }
        if (size == 0) {
            Files.deleteIfExists(upload);
            throw ApiException.badRequest("The upload is empty; send NDJSON (one JSON object per line) or CSV.");
        }
        ImportJob job =
                jobs.submit(id, t, upload, format, gzip, mode.equals("all_or_nothing"), match, Callers.actor(), true);
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/jobs/" + id))
                .body(job.view());
    }

    @GetMapping(value = "/api/v1/jobs/{id}", produces = "application/json")
    @Operation(
            summary = "An import's progress (rows read/written/rejected, rate, ETA) and then its report; writer role")
    Map<String, Object> job(@PathVariable("id") String id) {
        return jobs.get(id)
                .map(ImportJob::view)
                .orElseThrow(
                        () -> ApiException.notFound("There is no job " + (id.length() > 40 ? id.substring(0, 40) : id)
                                + " on this instance; jobs are kept on the instance that took the upload, the last "
                                + ImportJobs.KEPT + " of them."));
    }

    static FieldDef match(Table t, String raw) {
        if (raw == null || raw.isBlank() || raw.strip().equals("_id")) {
            return null;
        }
        return t.schema()
                .field(raw.strip())
                .filter(FieldDef::unique)
                .orElseThrow(() -> ApiException.invalid(
                        "match",
                        "must be _id or a unique field of " + t.name() + " ("
                                + String.join(
                                        ", ",
                                        t.schema().fields().stream()
                                                .filter(FieldDef::unique)
                                                .map(FieldDef::name)
                                                .toList())
                                + ")"));
    }

    private static ImportJobs.Format format(String contentType) {
        String type =
                contentType == null ? "" : contentType.split(";")[0].strip().toLowerCase(java.util.Locale.ROOT);
        return switch (type) {
            case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/json-lines" ->
                ImportJobs.Format.NDJSON;
            case "text/csv" -> ImportJobs.Format.CSV;
            default ->
                throw new ApiException(
                        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                        "Send the rows as NDJSON (Content-Type: application/x-ndjson) or CSV (Content-Type: text/csv).",
                        java.util.List.of(),
                        null);
        };
    }

    private static ApiException tooLarge(long max) {
        return new ApiException(
                HttpStatus.CONTENT_TOO_LARGE,
                "The upload is larger than the limit of " + max
                        + " bytes (IMPORT_MAX_UPLOAD); split it or compress it.",
                java.util.List.of(),
                null);
    }
}
