package dev.gridserve.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** One JSON object per line, as the API sends each row; only the asked-for fields when a projection is given. */
final class NdjsonRows implements RowWriter {
    /** Numbers kept as written when a projection re-writes a row: 12.50 stays 12.50. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final OutputStream out;
    private final List<String> keep;

    /** {@code keep}: the fields to write, or null for the whole row as stored. */
    NdjsonRows(OutputStream out, List<String> keep) {
        this.out = out;
        this.keep = keep;
    }

    @Override
    public void row(String json) throws IOException {
        String line = json;
        if (keep != null) {
            ObjectNode node = (ObjectNode) JSON.readTree(json);
            node.retain(keep);
            line = JSON.writeValueAsString(node);
        }
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
