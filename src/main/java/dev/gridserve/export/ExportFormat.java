package dev.gridserve.export;

import java.util.Arrays;
import java.util.Optional;

/** The formats an export can be written in. */
public enum ExportFormat {
    CSV("csv", "text/csv;charset=UTF-8"),
    NDJSON("ndjson", "application/x-ndjson"),
    XLSX("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

    /** Rows a sheet holds below its header row (Excel's limit is 1,048,576 rows in all). */
    public static final long XLSX_MAX_ROWS = 1_048_575;

    private final String wire;
    private final String contentType;

    ExportFormat(String wire, String contentType) {
        this.wire = wire;
        this.contentType = contentType;
    }

    public String wire() {
        return wire;
    }

    public String contentType() {
        return contentType;
    }

    /**
     * Why {@code rows} rows cannot be exported in this format, as a sentence; empty when they can (only a
     * spreadsheet has a limit). Checked before anything is sent, so a refusal is a clean 422.
     */
    public Optional<String> refusal(long rows) {
        if (this == XLSX && rows > XLSX_MAX_ROWS) {
            return Optional.of("a spreadsheet holds at most " + XLSX_MAX_ROWS + " rows and this export has " + rows
                    + "; narrow the filters or export CSV or NDJSON");
        }
        return Optional.empty();
    }

    public static Optional<ExportFormat> fromWire(String s) {
        return Arrays.stream(values()).filter(f -> f.wire.equals(s)).findFirst();
    }
}
