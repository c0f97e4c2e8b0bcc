package dev.gridserve.export;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * A spreadsheet (fastexcel, streaming): a bold header row, numbers as numbers, everything else as inline text
 * (never a formula; and inline, so no table of every distinct string is kept until the end). Rows are flushed
 * to the stream in batches, so memory stays flat however many rows there are.
 */
final class XlsxRows implements RowWriter {
    private static final int FLUSH_EVERY = 1000;

    private final Workbook workbook;
    private final Worksheet sheet;
    private final List<Column> columns;
    private final Cells cells;
    private int row;

    XlsxRows(OutputStream out, List<Column> columns) {
        this.workbook = new Workbook(out, "gridserve", "1.0");
        this.sheet = workbook.newWorksheet("export");
        this.columns = columns;
        this.cells = new Cells(columns);
        for (int c = 0; c < columns.size(); c++) {
            sheet.inlineString(0, c, columns.get(c).name());
        }
        sheet.range(0, 0, 0, columns.size() - 1).style().bold().set();
        row = 1;
    }

    @Override
    public void row(String json) throws IOException {
        String[] values = cells.of(json);
        for (int c = 0; c < values.length; c++) {
            String v = values[c];
            if (v == null) {
                continue;
            }
            if (columns.get(c).numeric()) {
                sheet.value(row, c, new java.math.BigDecimal(v));
            } else {
                sheet.inlineString(row, c, v);
            }
        }
        if (++row % FLUSH_EVERY == 0) {
            sheet.flush();
        }
    }

    @Override
    public void close() throws IOException {
        sheet.finish();
        workbook.finish();
    }
}
