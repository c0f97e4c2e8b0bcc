package dev.gridserve.storage;

import dev.gridserve.schema.FieldDef;
import dev.gridserve.schema.FieldType;
import dev.gridserve.schema.TableSchema;
import dev.gridserve.storage.StoredColumn.Kind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns a table schema needs: {@code id} first, the fields in their order (a unique field followed by its
 * lower-cased key), {@code version} last. A keyword list is one VARCHAR of its items joined by commas (items
 * cannot contain one), empty when there are none, so it is never NULL.
 */
final class TableLayout {
    /** One wanted column; {@code field} is null for the columns every table has. */
    record Wanted(StoredColumn column, FieldDef field, String sqlDefault) {}

    static final int DEFAULT_DECIMAL_PRECISION = 18;

    private TableLayout() {}

    static List<Wanted> of(TableSchema schema) {
        List<Wanted> out = new ArrayList<>();
        out.add(new Wanted(new StoredColumn("id", Kind.BIGINT, 0, 0, 0, false), null, null));
        for (FieldDef f : schema.fields()) {
            boolean nullable = !f.required() && !f.system() && f.type() != FieldType.KEYWORD_LIST;
            out.add(new Wanted(column(f, nullable), f, f.type() == FieldType.KEYWORD_LIST ? "''" : null));
            if (f.unique()) {
                out.add(new Wanted(
                        new StoredColumn(
                                f.uniqueKeyColumn(), Kind.VARCHAR, f.limits().maxLength(), 0, 0, false),
                        null,
                        null));
            }
        }
        out.add(new Wanted(new StoredColumn("version", Kind.BIGINT, 0, 0, 0, false), null, null));
        return out;
    }

    private static StoredColumn column(FieldDef f, boolean nullable) {
        return switch (f.type()) {
            case TEXT, KEYWORD ->
                new StoredColumn(f.name(), Kind.VARCHAR, f.limits().maxLength(), 0, 0, nullable);
            case KEYWORD_LIST ->
                new StoredColumn(
                        f.name(),
                        Kind.VARCHAR,
                        f.limits().maxItems() * (f.limits().maxLength() + 1) - 1,
                        0,
                        0,
                        nullable);
            case INTEGER -> new StoredColumn(f.name(), Kind.INTEGER, 0, 0, 0, nullable);
            case LONG -> new StoredColumn(f.name(), Kind.BIGINT, 0, 0, 0, nullable);
            case DECIMAL -> new StoredColumn(f.name(), Kind.NUMERIC, 0, precision(f), f.scale(), nullable);
            case DOUBLE -> new StoredColumn(f.name(), Kind.DOUBLE, 0, 0, 0, nullable);
            case BOOLEAN -> new StoredColumn(f.name(), Kind.BOOLEAN, 0, 0, 0, nullable);
            case TIMESTAMP -> new StoredColumn(f.name(), Kind.TIMESTAMPTZ, 0, 0, 0, nullable);
        };
    }

    /** Enough digits for the largest bound and the scale; without bounds, 18 in all. */
    private static int precision(FieldDef f) {
        BigDecimal min = f.limits().min();
        BigDecimal max = f.limits().max();
        if (min == null || max == null) {
            return Math.max(DEFAULT_DECIMAL_PRECISION, f.scale() + 1);
        }
        BigDecimal widest = min.abs().max(max.abs());
        int integerDigits = Math.max(
                1,
                widest.setScale(0, java.math.RoundingMode.DOWN).toPlainString().length());
        return integerDigits + f.scale();
    }
}
