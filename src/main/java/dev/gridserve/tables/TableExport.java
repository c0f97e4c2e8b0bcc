package dev.gridserve.tables;

import dev.gridserve.changes.TableFollowing;
import dev.gridserve.export.Column;
import dev.gridserve.export.ExportFormat;
import dev.gridserve.export.ExportSlots;
import dev.gridserve.export.RowWriter;
import dev.gridserve.schema.FieldDef;
import dev.gridserve.schema.TableSchema;
import dev.gridserve.search.TableIndex;
import dev.gridserve.system.ApiException;
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
import org.springframework.stereotype.Component;

/**
 * Streams every row a list request of a table matches (its filters, search, sort and fields; paging ignored)
 * as CSV, NDJSON or XLSX, from one point-in-time view of the index, at constant memory.
 */
@Component
public class TableExport {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final ExportSlots slots;

    TableExport(ExportSlots slots) {
        this.slots = slots;
    }

    public void export(HttpServletRequest req, HttpServletResponse res, QueryParser parser, TableFollowing table)
            throws IOException {
        ExportFormat format = format(req.getParameter("format"));
        boolean bom = bom(req.getParameter("bom"));
        ListRequest r = parser.parse(req.getParameterMap(), Set.of("format", "bom"));
        if (!table.follower().ready()) {
            throw ApiException.unavailable("The search index is being built; retry shortly.", 5);
        }
        if (!slots.tryAcquire()) {
            throw ApiException.unavailable("Too many exports are running on this instance; retry shortly.", 5);
        }
        try (TableIndex.Snapshot snap = table.index().acquire()) {
            long rows = table.searcher().count(snap.searcher(), r.query());
            format.refusal(rows).ifPresent(why -> {
                throw ApiException.invalid("format", why);
            });
            String name =
                    table.table() + "-" + ZonedDateTime.now(ZoneOffset.UTC).format(STAMP) + "." + format.wire();
            res.setContentType(format.contentType());
            res.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"");
            res.setHeader("X-Total-Count", Long.toString(rows));
            res.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            OutputStream out = new BufferedOutputStream(res.getOutputStream(), 64 * 1024);
            try (RowWriter w = RowWriter.of(format, out, columns(parser.schema(), r), r.fields() != null, bom)) {
                table.searcher().export(snap.searcher(), r.query(), w::row);
            }
            out.flush();
        } finally {
            slots.release();
        }
    }

    /** The id and every field, in the schema's order; only those asked for when {@code fields=} is given. */
    private static List<Column> columns(TableSchema schema, ListRequest r) {
        List<Column> out = new ArrayList<>();
        out.add(new Column("_id", false));
        for (FieldDef f : schema.fields()) {
            if (r.fields() == null || r.fields().contains(f.name())) {
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
