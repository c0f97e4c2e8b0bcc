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

    public static Optional<ExportFormat> fromWire(String s) {
        return Arrays.stream(values()).filter(f -> f.wire.equals(s)).findFirst();
    }
}
