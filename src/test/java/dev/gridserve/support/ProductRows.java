package dev.gridserve.support;

import dev.gridserve.product.Product;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The products table read back with plain JDBC, independently of the service's storage code: what the oracle
 * tests compare the API with.
 */
public final class ProductRows {
    private ProductRows() {}

    public static List<Product> all(String jdbcUrl) {
        return query(jdbcUrl, "");
    }

    public static Product one(String jdbcUrl, long id) {
        return query(jdbcUrl, " WHERE id = " + id).get(0);
    }

    private static List<Product> query(String jdbcUrl, String where) {
        List<Product> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, name, description, price, category, stock, sku, brand,"
                        + " rating, reviews_count, tags, created_at, updated_at, version FROM products" + where
                        + " ORDER BY id")) {
            while (rs.next()) {
                double rating = rs.getDouble("rating");
                Double ratingOrNull = rs.wasNull() ? null : rating;
                int reviews = rs.getInt("reviews_count");
                Integer reviewsOrNull = rs.wasNull() ? null : reviews;
                String tags = rs.getString("tags");
                out.add(new Product(
                        rs.getLong("id"),
                        rs.getString("name"),
                        rs.getString("description"),
                        rs.getBigDecimal("price").movePointRight(2).longValueExact(),
                        rs.getString("category"),
                        rs.getInt("stock"),
                        rs.getString("sku"),
                        rs.getString("brand"),
                        ratingOrNull,
                        reviewsOrNull,
                        tags.isEmpty() ? List.of() : List.of(tags.split(",")),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
                        rs.getLong("version")));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
