package dev.gridserve.tables;

import dev.gridserve.schema.FieldDef;
import dev.gridserve.schema.TableSchema;
import dev.gridserve.storage.StoredRow;
import dev.gridserve.system.JsonText;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A row's wire JSON: {@code _id} as a string, then every field in schema order; decimals with their scale,
 * doubles as the shortest decimal, timestamps as ISO instants, null for none. Written by hand because it is
 * stored in the index and concatenated into list responses, never re-serialized.
 */
final class RowJson {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

    private RowJson() {}

    static String write(TableSchema schema, StoredRow row) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"_id\":\"").append(row.id()).append('"');
        for (FieldDef f : schema.fields()) {
            sb.append(",\"").append(f.name()).append("\":");
            value(sb, row.value(f.name()));
        }
        return sb.append('}').toString();
    }

    private static void value(StringBuilder sb, Object v) {
        switch (v) {
            case null -> sb.append("null");
            case String s -> JsonText.string(sb, s);
            case List<?> list -> {
                sb.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    JsonText.string(sb, String.valueOf(list.get(i)));
                }
                sb.append(']');
            }
            case BigDecimal d -> sb.append(d.toPlainString());
            case Double d ->
                sb.append(BigDecimal.valueOf(d).stripTrailingZeros().toPlainString());
            case Instant t -> sb.append('"').append(ISO.format(t)).append('"');
            default -> sb.append(v); // integers, longs, booleans
        }
    }
}
