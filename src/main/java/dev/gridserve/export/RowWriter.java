package dev.gridserve.export;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes exported rows to a stream as they come, holding none of them: a row is the row's JSON object (as the
 * API sends it), written as it is (NDJSON) or as one cell per column (CSV, XLSX).
 */
public interface RowWriter extends AutoCloseable {
    void row(String json) throws IOException;

    /** Ends the document (a spreadsheet's closing parts) and flushes; the stream stays open. */
    @Override
    void close() throws IOException;

    /** {@code projected}: the columns are a projection the caller asked for, not every field. */
    static RowWriter of(ExportFormat format, OutputStream out, List<Column> columns, boolean projected, boolean bom)
            throws IOException {
        return switch (format) {
            case CSV -> new CsvRows(out, columns, bom);
            case NDJSON ->
                new NdjsonRows(
                        out, projected ? columns.stream().map(Column::name).toList() : null);
            case XLSX -> new XlsxRows(out, columns);
        };
    }
}
