package dev.gridserve.export;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A row's JSON as cells, one per column, in column order: text as is, lists joined by commas, null as null. */
final class Cells {
    /** Numbers kept as written: a price of 12.50 is exported as 12.50, not 12.5. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private Cells() {}

    static List<JsonNode> of(String json, List<Column> columns) {
        JsonNode row = JSON.readTree(json);
        List<JsonNode> out = new ArrayList<>(columns.size());
        for (Column c : columns) {
            JsonNode v = row.get(c.name());
            out.add(v == null || v.isNull() ? null : v);
        }
        return out;
    }

    static String text(JsonNode v) {
        if (v == null) {
            return "";
        }
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(i -> items.add(i.asString()));
            return String.join(",", items);
        }
        return v.isString() ? v.stringValue() : v.toString();
    }

    static JsonMapper json() {
        return JSON;
    }
}
