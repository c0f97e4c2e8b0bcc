package dev.gridserve.export;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one row limit an export has: a spreadsheet's 1,048,576 rows, the header included. */
class ExportFormatTest {
    @Test
    void aSpreadsheetHoldsAtMostItsRowsBelowTheHeader() {
        assertThat(ExportFormat.XLSX.refusal(1_048_575)).isEmpty();
        assertThat(ExportFormat.XLSX.refusal(1_048_576))
                .hasValue("a spreadsheet holds at most 1048575 rows and this export has 1048576; narrow the filters"
                        + " or export CSV or NDJSON");
        assertThat(ExportFormat.CSV.refusal(10_000_000)).isEmpty();
        assertThat(ExportFormat.NDJSON.refusal(10_000_000)).isEmpty();
    }
}
