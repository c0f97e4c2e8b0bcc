package dev.gridserve.product;

import dev.gridserve.export.Column;
import dev.gridserve.export.ExportFormat;
import dev.gridserve.export.ExportSlots;
import dev.gridserve.export.RowWriter;
import dev.gridserve.schema.FieldDef;
import dev.gridserve.schema.Schemas;
import dev.gridserve.schema.TableSchema;
import dev.gridserve.search.TableIndex;
import dev.gridserve.search.TableQuery;
import dev.gridserve.search.TableSearcher;
import dev.gridserve.system.ApiException;
import dev.gridserve.tables.ListRequest;
import dev.gridserve.tables.QueryParser;
import dev.gridserve.tables.Tables;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Streams every product a list request matches (its filters, search, sort and fields; paging ignored) as CSV,
 * NDJSON or XLSX, from one point-in-time view of the index, at constant memory.
 */
@RestController
@RequestMapping("/api/v1/products")
@Tag(name = "products")
class ProductExportController {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final QueryParser parser;
    private final TableIndex index;
    private final TableSearcher searcher;
    private final ProductService service;
    private final ExportSlots slots;
    private final TableSchema schema;

    ProductExportController(
            Tables tables,
            TableIndex index,
            TableSearcher searcher,
            ProductService service,
            ExportSlots slots,
            Schemas schemas) {
        this.parser = tables.require("products");
        this.index = index;
        this.searcher = searcher;
        this.service = service;
        this.slots = slots;
        this.schema = schemas.table("products").orElseThrow();
    }

    @GetMapping("/export")
    @Operation(
            summary = "Every product the list's filters, search and sort select, as a CSV, NDJSON or XLSX download",
            description = "Takes the list's parameters (page and page_size are ignored). One consistent view of the"
                    + " data however long it takes. CSV cells a spreadsheet would run as a formula get a leading"
                    + " apostrophe. XLSX holds at most 1,048,575 rows (422 beyond).")
    @Parameter(in = ParameterIn.QUERY, name = "format", description = "csv (default), ndjson or xlsx")
    @Parameter(in = ParameterIn.QUERY, name = "bom", description = "true: CSV starts with a UTF-8 byte order mark")
    void export(HttpServletRequest req, HttpServletResponse res) throws IOException {
        ExportFormat format = format(req.getParameter("format"));
        boolean bom = bom(req.getParameter("bom"));
        ListRequest r = parser.parse(req.getParameterMap(), Set.of("format", "bom"));
        TableQuery q = r.query();
        service.requireIndex();
        if (!slots.tryAcquire()) {
            throw ApiException.unavailable("Too many exports are running on this instance; retry shortly.", 5);
        }
        try (TableIndex.Snapshot snap = index.acquire()) {
            long rows = searcher.count(snap.searcher(), q);
            format.refusal(rows).ifPresent(why -> {
                throw ApiException.invalid("format", why);
            });
            String name = "products-" + ZonedDateTime.now(ZoneOffset.UTC).format(STAMP) + "." + format.wire();
            res.setContentType(format.contentType());
            res.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"");
            res.setHeader("X-Total-Count", Long.toString(rows));
            res.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            OutputStream out = new BufferedOutputStream(res.getOutputStream(), 64 * 1024);
            try (RowWriter w = RowWriter.of(format, out, columns(r), r.fields() != null, bom)) {
                searcher.export(snap.searcher(), q, w::row);
            }
            out.flush();
        } finally {
            slots.release();
        }
    }

    /** The id and every field, in the schema's order; only those asked for when {@code fields=} is given. */
    private List<Column> columns(ListRequest q) {
        List<Column> out = new ArrayList<>();
        out.add(new Column("_id", false));
        for (FieldDef f : schema.fields()) {
            if (q.fields() == null || q.fields().contains(f.name())) {
                out.add(new Column(f.name(), f.type().numeric()));
            }
        }
        return out;
    }

    private static ExportFormat format(String raw) {
        if (raw == null || raw.isBlank()) {
            return ExportFormat.CSV;
        }
        return ExportFormat.fromWire(raw.strip())
                .orElseThrow(() -> ApiException.invalid("format", "must be csv, ndjson or xlsx"));
    }

    private static boolean bom(String raw) {
        if (raw == null || raw.isBlank() || raw.strip().equals("false")) {
            return false;
        }
        if (raw.strip().equals("true")) {
            return true;
        }
        throw ApiException.invalid("bom", "must be true or false");
    }
}
