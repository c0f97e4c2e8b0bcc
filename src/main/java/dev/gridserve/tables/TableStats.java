package dev.gridserve.tables;

import dev.gridserve.schema.FieldDef;
import dev.gridserve.schema.FieldType;
import dev.gridserve.schema.TableSchema;
import dev.gridserve.search.Aggregates;
import dev.gridserve.search.Summary;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.util.NumericUtils;

/**
 * The summary of a table served from its schema: how many rows match, count/sum/avg/min/max of every stats
 * field, and the same per value of its first facet field. Averages have two decimals more than the field; they
 * and min/max are null when no row has a value.
 */
final class TableStats implements SummaryShape {
    private final TableSchema schema;
    private final List<FieldDef> fields;
    private final String groupBy;
    private final Summary summary;

    TableStats(TableSchema schema) {
        this.schema = schema;
        this.fields = schema.fields().stream()
                .filter(f -> f.stats() && f.type().numeric())
                .toList();
        this.groupBy = schema.fields().stream()
                .filter(FieldDef::facet)
                .map(FieldDef::name)
                .findFirst()
                .orElse(null);
        this.summary = new Summary(fields.stream().map(FieldDef::name).toList(), List.of(), groupBy, null);
    }

    @Override
    public String table() {
        return schema.name();
    }

    @Override
    public Summary summary() {
        return summary;
    }

    @Override
    public Map<String, Object> write(Aggregates a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", a.total().count());
        out.put("fields", fields(a.total()));
        if (groupBy != null) {
            List<Map<String, Object>> groups = a.groups().entrySet().stream()
                    .sorted(Comparator.<Map.Entry<String, Aggregates.Acc>>comparingLong(
                                    e -> -e.getValue().count())
                            .thenComparing(Map.Entry::getKey))
                    .map(e -> {
                        Map<String, Object> g = new LinkedHashMap<>();
                        g.put("value", e.getKey());
                        g.put("count", e.getValue().count());
                        g.put("fields", fields(e.getValue()));
                        return g;
                    })
                    .toList();
            Map<String, Object> by = new LinkedHashMap<>();
            by.put("field", groupBy);
            by.put("groups", groups);
            out.put("by", by);
        }
        return out;
    }

    private Map<String, Object> fields(Aggregates.Acc acc) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            FieldDef f = fields.get(i);
            long n = acc.present(i);
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("count", n);
            BigDecimal sum = f.type() == FieldType.DOUBLE
                    ? BigDecimal.valueOf(acc.doubleSum(i))
                    : new BigDecimal(acc.sum(i), f.type() == FieldType.DECIMAL ? f.scale() : 0);
            int scale = f.type() == FieldType.DECIMAL ? f.scale() : 0;
            s.put(
                    "sum",
                    f.type() == FieldType.DOUBLE
                            ? sum.setScale(6, RoundingMode.HALF_UP).stripTrailingZeros()
                            : sum);
            s.put("avg", n == 0 ? null : sum.divide(BigDecimal.valueOf(n), scale + 2, RoundingMode.HALF_UP));
            s.put("min", n == 0 ? null : held(f, acc.min(i)));
            s.put("max", n == 0 ? null : held(f, acc.max(i)));
            out.put(f.name(), s);
        }
        return out;
    }

    /** A held long as the number it stands for. */
    private static Object held(FieldDef f, long v) {
        return switch (f.type()) {
            case DECIMAL -> BigDecimal.valueOf(v, f.scale());
            case DOUBLE ->
                BigDecimal.valueOf(NumericUtils.sortableLongToDouble(v)).stripTrailingZeros();
            case TIMESTAMP -> Instant.ofEpochMilli(v).toString();
            default -> v;
        };
    }
}
