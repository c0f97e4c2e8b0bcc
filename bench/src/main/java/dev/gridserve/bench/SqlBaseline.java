package dev.gridserve.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The same shapes answered by straightforward SQL on the same PostgreSQL: btree and pg_trgm GIN indexes,
 * OFFSET paging and COUNT(*) totals, as a typical hand-written backend would.
 */
final class SqlBaseline {
    private static final String COLS = "id, name, description, price, category, stock, sku, brand, rating,"
            + " reviews_count, tags, created_at, updated_at";
    private static final String SEARCH = "(name ILIKE ? OR description ILIKE ? OR sku ILIKE ?)";

    interface Shape {
        void run(Connection c, int i) throws SQLException;
    }

    static void prepare(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm");
            s.execute("CREATE INDEX IF NOT EXISTS b_created ON products (created_at DESC, id DESC)");
            s.execute("CREATE INDEX IF NOT EXISTS b_cat_price ON products (category, price, id)");
            s.execute("CREATE INDEX IF NOT EXISTS b_price ON products (price, id)");
            s.execute("CREATE INDEX IF NOT EXISTS b_cat_name ON products (category, name, id)");
            s.execute("CREATE INDEX IF NOT EXISTS b_rating ON products (rating DESC NULLS LAST, id DESC)");
            s.execute("CREATE INDEX IF NOT EXISTS b_tags ON products USING gin (string_to_array(tags, ','))");
            s.execute("CREATE INDEX IF NOT EXISTS b_name_trgm ON products USING gin (name gin_trgm_ops)");
            s.execute("CREATE INDEX IF NOT EXISTS b_desc_trgm ON products USING gin (description gin_trgm_ops)");
            s.execute("CREATE INDEX IF NOT EXISTS b_sku_trgm ON products USING gin (sku gin_trgm_ops)");
            s.execute("ANALYZE products");
        }
    }

    static Map<String, Shape> shapes(long products) {
        Map<String, Shape> m = new LinkedHashMap<>();
        m.put("first_page", (c, i) -> page(c, "", "created_at DESC, id DESC", 0, List.of()));
        m.put("category_price_by_price", (c, i) -> page(
                c, "WHERE category = ? AND price BETWEEN ? AND ?", "price, id", 0,
                List.of("Electronics", new java.math.BigDecimal(100), new java.math.BigDecimal(500))));
        m.put("search_laptop", (c, i) -> page(c, "WHERE " + SEARCH, "created_at DESC, id DESC", 0, like("laptop")));
        m.put("search_lap", (c, i) -> page(c, "WHERE " + SEARCH, "created_at DESC, id DESC", 0, like("lap")));
        m.put("search_ch", (c, i) -> page(c, "WHERE " + SEARCH, "created_at DESC, id DESC", 0, like("ch")));
        m.put("tags_stock_by_rating", (c, i) -> page(
                c, "WHERE string_to_array(tags, ',') && ARRAY['sale','eco'] AND stock >= 10",
                "rating DESC NULLS LAST, id DESC", 0, List.of()));
        m.put("deep_page_number", (c, i) -> page(c, "", "price, id", 99_950, List.of()));
        m.put("deep_page_price_in_category", (c, i) -> page(
                c, "WHERE category = ?", "price, id", 24_950, List.of("Books")));
        m.put("deep_page_name_in_category", (c, i) -> page(
                c, "WHERE category = ?", "name, id", 24_950, List.of("Books")));
        m.put("cursor_walk_200", (c, i) -> page(c, "", "price, id", 50L * (i % 200), List.of()));
        m.put("facets_on_search", (c, i) -> {
            page(c, "WHERE " + SEARCH, "created_at DESC, id DESC", 0, like("pro"));
            for (String g : List.of("category", "brand", "unnest(string_to_array(tags, ','))")) {
                query(c, "SELECT " + g + ", COUNT(*) FROM products WHERE " + SEARCH + " GROUP BY 1", like("pro"));
            }
        });
        m.put("stats_summary", (c, i) -> {
            query(c, "SELECT COUNT(*), SUM(stock), AVG(price), MIN(price), MAX(price), AVG(rating),"
                    + " SUM(price * stock), COUNT(*) FILTER (WHERE stock = 0) FROM products", List.of());
            query(c, "SELECT category, COUNT(*), AVG(price), SUM(stock), AVG(rating) FROM products GROUP BY 1",
                    List.of());
        });
        m.put("get_by_id", (c, i) -> query(
                c, "SELECT " + COLS + " FROM products WHERE id = ?", List.of(1 + Math.floorMod(i * 7919L, products))));
        return m;
    }

    private static List<Object> like(String term) {
        String p = "%" + term + "%";
        return List.of(p, p, p);
    }

    private static void page(Connection c, String where, String order, long offset, List<Object> params)
            throws SQLException {
        query(c, "SELECT " + COLS + " FROM products " + where + " ORDER BY " + order + " LIMIT 50 OFFSET " + offset,
                params);
        query(c, "SELECT COUNT(*) FROM products " + where, params);
    }

    private static void query(Connection c, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int k = 0; k < params.size(); k++) {
                ps.setObject(k + 1, params.get(k));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getObject(1);
                }
            }
        }
    }

    static List<Double> measure(Connection c, Shape shape, int runs) throws SQLException {
        for (int i = 0; i < Math.min(5, runs); i++) {
            shape.run(c, i);
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            shape.run(c, i);
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        return ms;
    }
}
