package dev.gridserve.export;

import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * CSV per RFC 4180 (FastCSV: quoted when needed, CRLF line ends), with a header row. A text cell that a
 * spreadsheet would run as a formula (it begins with =, +, -, @, a tab or a carriage return) is written with a
 * leading apostrophe, so opening an export never runs what someone typed into a product (OWASP's advice on CSV
 * injection); numbers are written as they are. {@code bom} puts a UTF-8 byte order mark first, which Excel
 * needs to read UTF-8.
 */
final class CsvRows implements RowWriter {
    private final Writer text;
    private final CsvWriter csv;
    private final List<Column> columns;
    private final Cells cells;

    CsvRows(OutputStream out, List<Column> columns, boolean bom) throws IOException {
        this.text = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        if (bom) {
            text.write('\uFEFF');
        }
        this.csv = CsvWriter.builder().build(text);
        this.columns = columns;
        this.cells = new Cells(columns);
        csv.writeRecord(columns.stream().map(Column::name).toList());
    }

    @Override
    public void row(String json) {
        String[] row = cells.of(json);
        for (int i = 0; i < row.length; i++) {
            String v = row[i] == null ? "" : row[i];
            row[i] = columns.get(i).numeric() ? v : neutralised(v);
        }
        csv.writeRecord(row);
    }

    static String neutralised(String v) {
        if (v.isEmpty()) {
            return v;
        }
        char c = v.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + v : v;
    }

    @Override
    public void close() throws IOException {
        csv.flush();
        text.flush();
    }
}
