package dev.gridserve.tables;

import dev.gridserve.search.Page;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a list response around the rows' stored JSON, projecting fields only when asked: the rows under the
 * table's name ({@code products}, {@code orders}), then the paging numbers and facets.
 */
public final class PageJson {
    private PageJson() {}

    public static String write(String table, Page page, Set<String> fields, JsonMapper mapper) {
        StringBuilder sb = new StringBuilder(256 + page.rows().size() * 480);
        sb.append("{\"").append(table).append("\":[");
        Set<String> keep = null;
        if (fields != null) {
            keep = new HashSet<>(fields);
            keep.add("_id");
        }
        for (int i = 0; i < page.rows().size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String json = page.rows().get(i);
            if (keep == null) {
                sb.append(json);
            } else {
                ObjectNode node = (ObjectNode) mapper.readTree(json);
                node.retain(keep);
                sb.append(mapper.writeValueAsString(node));
            }
        }
        sb.append("],\"total\":").append(page.total());
        sb.append(",\"page\":").append(page.page());
        sb.append(",\"page_size\":").append(page.pageSize());
        sb.append(",\"total_pages\":").append(page.totalPages());
        sb.append(",\"next_cursor\":");
        if (page.nextCursor() == null) {
            sb.append("null");
        } else {
            sb.append('"').append(page.nextCursor()).append('"');
        }
        if (page.facets() != null) {
            sb.append(",\"facets\":{");
            boolean first = true;
            for (Map.Entry<String, List<Page.FacetCount>> f : page.facets().entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                sb.append('"').append(f.getKey()).append("\":[");
                for (int i = 0; i < f.getValue().size(); i++) {
                    Page.FacetCount c = f.getValue().get(i);
                    sb.append(i > 0 ? "," : "").append("{\"value\":");
                    dev.gridserve.system.JsonText.string(sb, c.value());
                    sb.append(",\"count\":").append(c.count()).append('}');
                }
                sb.append(']');
            }
            sb.append('}');
        }
        return sb.append('}').toString();
    }
}
