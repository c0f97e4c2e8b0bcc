package dev.gridserve.product;

import dev.gridserve.changes.TableFollowing;
import dev.gridserve.tables.QueryParser;
import dev.gridserve.tables.TableExport;
import dev.gridserve.tables.Tables;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
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
    private final QueryParser parser;
    private final TableFollowing table;
    private final TableExport export;

    ProductExportController(Tables tables, TableFollowing productsFollowing, TableExport export) {
        this.parser = tables.require("products");
        this.table = productsFollowing;
        this.export = export;
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
        export.export(req, res, parser, table);
    }
}
