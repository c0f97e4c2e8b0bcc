package dev.gridserve.export;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * A row's JSON as cell texts, one per column, in column order: strings as they are, numbers as written (a price
 * of 12.50 stays 12.50), lists joined by commas, null or absent as null. Read with the streaming parser, no
 * tree per row: an export reads millions of rows.
 */
final class Cells {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, Integer> index = new HashMap<>();
    private final int size;

    Cells(List<Column> columns) {
        for (int i = 0; i < columns.size(); i++) {
            index.put(columns.get(i).name(), i);
        }
        this.size = columns.size();
    }

    String[] of(String json) {
        String[] out = new String[size];
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("an exported row is not a JSON object");
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                Integer at = index.get(p.currentName());
                JsonToken t = p.nextToken();
                if (at == null) {
                    p.skipChildren();
                } else if (t == JsonToken.START_ARRAY) {
                    StringBuilder sb = new StringBuilder();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        sb.append(sb.isEmpty() ? "" : ",").append(p.getString());
                    }
                    out[at] = sb.toString();
                } else if (t != JsonToken.VALUE_NULL) {
                    out[at] = p.getString();
                }
            }
        }
        return out;
    }
}
