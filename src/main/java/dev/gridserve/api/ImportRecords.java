package dev.gridserve.api;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import dev.gridserve.schema.FieldDef;
import dev.gridserve.schema.FieldType;
import dev.gridserve.schema.TableSchema;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The records of an upload, one at a time: NDJSON (one JSON object per line) or CSV (RFC 4180, a header row of
 * field names; an empty cell is no value, a keyword list is its items joined by commas, as exports write them).
 * Each record carries its line number; one that cannot be read carries why instead.
 */
abstract class ImportRecords implements Closeable {
    record Record(long line, ObjectNode body, String problem) {}

    /** The next record, or null at the end. */
    abstract Record next() throws IOException;

    /** The longest NDJSON line read (characters): a longer one is rejected and skipped, never held in memory. */
    static final int MAX_LINE = 1 << 20;

    static ImportRecords ndjson(Reader in, JsonMapper mapper) {
        BufferedReader lines = new BufferedReader(in, 1 << 16);
        return new ImportRecords() {
            long line;
            final StringBuilder buf = new StringBuilder(1024);

            /** The next line without its end, or null at the end; "\0" stands for one that was too long. */
            String readLine() throws IOException {
                buf.setLength(0);
                boolean tooLong = false;
                int c;
                while ((c = lines.read()) != -1 && c != '\n') {
                    if (buf.length() < MAX_LINE) {
                        buf.append((char) c);
                    } else {
                        tooLong = true;
                    }
                }
                if (c == -1 && buf.isEmpty() && !tooLong) {
                    return null;
                }
                if (tooLong) {
                    return "\0";
                }
                int end = buf.length();
                if (end > 0 && buf.charAt(end - 1) == '\r') {
                    buf.setLength(end - 1);
                }
                return buf.toString();
            }

            @Override
            Record next() throws IOException {
                String s;
                while ((s = readLine()) != null) {
                    line++;
                    if (s.equals("\0")) {
                        return new Record(line, null, "is longer than " + MAX_LINE + " characters");
                    }
                    if (s.isBlank()) {
                        continue;
                    }
                    try {
                        JsonNode n = mapper.readTree(s);
                        if (n instanceof ObjectNode o) {
                            return new Record(line, o, null);
                        }
                        return new Record(line, null, "each line must be one JSON object");
                    } catch (JacksonException e) {
                        return new Record(line, null, "is not valid JSON: " + e.getOriginalMessage());
                    }
                }
                return null;
            }

            @Override
            public void close() throws IOException {
                lines.close();
            }
        };
    }

    /** CSV with a header row; unknown columns are refused before any row is read. */
    static ImportRecords csv(Reader in, TableSchema schema) {
        CsvReader<NamedCsvRecord> reader = CsvReader.builder().ofNamedCsvRecord(in);
        Iterator<NamedCsvRecord> it = reader.iterator();
        return new ImportRecords() {
            boolean checked;

            @Override
            Record next() {
                if (!it.hasNext()) {
                    return null;
                }
                NamedCsvRecord r = it.next();
                if (!checked) {
                    checked = true;
                    for (String h : r.getHeader()) {
                        if (!h.equals("_id") && schema.field(h).isEmpty()) {
                            throw new IllegalArgumentException("the CSV column '" + h + "' is not a field of "
                                    + schema.name() + "; its header row must name fields (or _id)");
                        }
                    }
                }
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                List<String> header = r.getHeader();
                for (int i = 0; i < header.size() && i < r.getFieldCount(); i++) {
                    String name = header.get(i);
                    String v = r.getField(i);
                    if (v.isEmpty()) {
                        continue;
                    }
                    FieldDef f = schema.field(name).orElse(null);
                    o.set(name, f == null ? o.textNode(v) : cell(f, v));
                }
                return new Record(r.getStartingLineNumber(), o, null);
            }

            @Override
            public void close() throws IOException {
                reader.close();
            }
        };
    }

    /** A cell as the JSON value the field takes; left as text when it is not one, so validation names it. */
    private static JsonNode cell(FieldDef f, String v) {
        JsonNodeFactory n = JsonNodeFactory.instance;
        try {
            if (f.type().numeric() && v.length() <= 64) {
                return n.numberNode(new BigDecimal(v.strip()));
            }
            if (f.type() == FieldType.BOOLEAN
                    && (v.strip().equals("true") || v.strip().equals("false"))) {
                return n.booleanNode(Boolean.parseBoolean(v.strip()));
            }
            if (f.type() == FieldType.KEYWORD_LIST) {
                ArrayNode a = n.arrayNode();
                for (String item : v.split(",")) {
                    if (!item.isBlank()) {
                        a.add(item.strip());
                    }
                }
                return a;
            }
        } catch (NumberFormatException e) {
            // below: validation says what the field needs
        }
        return n.textNode(v);
    }
}
