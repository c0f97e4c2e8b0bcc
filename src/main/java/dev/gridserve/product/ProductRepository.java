package dev.gridserve.product;

import dev.gridserve.search.Row;
import dev.gridserve.search.RowSource;
import dev.gridserve.storage.RowStreams;
import dev.gridserve.system.LongWork;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Products in the system of record. The same SQL runs on PostgreSQL and on H2 in PostgreSQL mode. */
@Repository
public class ProductRepository implements RowSource {
    /** Column order of {@link #values}: what inserts, and the seeder's bulk loads, write. */
    public static final String COLUMNS = "id, name, description, price, category, stock, sku, sku_key, brand, rating,"
            + " reviews_count, tags, created_at, updated_at, version";

    private static final RowMapper<Product> MAPPER = (rs, n) -> map(rs);

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final LongWork longWork;

    ProductRepository(JdbcClient jdbc, DataSource dataSource, LongWork longWork) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.longWork = longWork;
    }

    public Optional<Product> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM products WHERE id = ?")
                .param(id)
                .query(MAPPER)
                .optional();
    }

    /** Locks the row for the rest of the transaction, so concurrent updates of one product serialize. */
    Optional<Product> findForUpdate(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM products WHERE id = ? FOR UPDATE")
                .param(id)
                .query(MAPPER)
                .optional();
    }

    @Override
    public List<Product> findAll(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM products WHERE id IN (:ids)")
                .param("ids", ids)
                .query(MAPPER)
                .list();
    }

    /** Whether another product already has this SKU (case-insensitively). */
    boolean skuTaken(String sku, long exceptId) {
        return jdbc.sql("SELECT COUNT(*) FROM products WHERE sku_key = ? AND id <> ?")
                        .params(skuKey(sku), exceptId)
                        .query(Long.class)
                        .single()
                > 0;
    }

    long nextId() {
        return jdbc.sql("SELECT nextval('product_id_seq')").query(Long.class).single();
    }

    void insert(Product p) {
        jdbc.sql("INSERT INTO products (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(values(p))
                .update();
    }

    void update(Product p) {
        Object[] v = values(p);
        Object[] params = Arrays.copyOf(Arrays.copyOfRange(v, 1, v.length), v.length);
        params[v.length - 1] = p.id();
        jdbc.sql("UPDATE products SET name = ?, description = ?, price = ?, category = ?, stock = ?, sku = ?,"
                        + " sku_key = ?, brand = ?, rating = ?, reviews_count = ?, tags = ?, created_at = ?,"
                        + " updated_at = ?, version = ? WHERE id = ?")
                .params(params)
                .update();
    }

    boolean delete(long id) {
        return jdbc.sql("DELETE FROM products WHERE id = ?").param(id).update() == 1;
    }

    public long count() {
        return jdbc.sql("SELECT COUNT(*) FROM products").query(Long.class).single();
    }

    /** Count and sums of ids and versions: what the index must agree with, read in one statement. */
    @Override
    public Checksum checksum() {
        return longWork.run(() -> jdbc.sql("SELECT (SELECT COALESCE(MAX(seq), 0) FROM product_changes), COUNT(*),"
                        + " COALESCE(SUM(id), 0), COALESCE(SUM(version), 0) FROM products")
                .query((rs, n) -> new Checksum(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getBigDecimal(3).toBigInteger(),
                        rs.getBigDecimal(4).toBigInteger()))
                .single());
    }

    /** Streams every product with a server-side cursor, for (re)building the index. */
    @Override
    public void forEach(Consumer<? super Row> sink) {
        stream("", sink);
    }

    /** Streams the products with ids {@code from..to} (a bulk-loaded range). */
    @Override
    public void forEachInRange(long from, long to, Consumer<? super Row> sink) {
        stream(" WHERE id BETWEEN " + from + " AND " + to, sink);
    }

    private void stream(String where, Consumer<? super Product> sink) {
        RowStreams.stream(
                dataSource,
                longWork,
                "SELECT " + COLUMNS + " FROM products" + where,
                ProductRepository::map,
                sink,
                "products");
    }

    @Override
    public long maxId() {
        return jdbc.sql("SELECT COALESCE(MAX(id), 0) FROM products")
                .query(Long.class)
                .single();
    }

    /** Per id range ({@code id / width}): count, sum of ids, sum of versions. */
    @Override
    public Map<Long, List<Long>> rangeChecksums(long width) {
        return longWork.run(() -> rangeChecksumsUnlimited(width));
    }

    private Map<Long, List<Long>> rangeChecksumsUnlimited(long width) {
        Map<Long, List<Long>> out = new HashMap<>();
        // the width is a number computed here, written into the statement so both clauses name one expression
        jdbc.sql("SELECT id / " + width + ", COUNT(*), SUM(id), SUM(version) FROM products GROUP BY id / " + width)
                .query(rs -> {
                    out.put(rs.getLong(1), List.of(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                });
        return out;
    }

    /** Id to version of every product with an id in {@code from..to}. */
    @Override
    public Map<Long, Long> versions(long from, long to) {
        Map<Long, Long> out = new HashMap<>();
        jdbc.sql("SELECT id, version FROM products WHERE id BETWEEN ? AND ?")
                .params(from, to)
                .query(rs -> {
                    out.put(rs.getLong(1), rs.getLong(2));
                });
        return out;
    }

    /** A product as column values in {@link #COLUMNS} order. */
    public static Object[] values(Product p) {
        return new Object[] {
            p.id(), p.name(), p.description(), BigDecimal.valueOf(p.priceCents(), 2), p.category(), p.stock(),
            p.sku(), skuKey(p.sku()), p.brand(), p.rating(), p.reviewsCount(), String.join(",", p.tags()),
            utc(p.createdAt()), utc(p.updatedAt()), p.version()
        };
    }

    static String skuKey(String sku) {
        return sku.toLowerCase(java.util.Locale.ROOT);
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static Product map(ResultSet rs) throws SQLException {
        String tags = rs.getString("tags");
        double rating = rs.getDouble("rating");
        Double ratingOrNull = rs.wasNull() ? null : rating;
        int reviews = rs.getInt("reviews_count");
        Integer reviewsOrNull = rs.wasNull() ? null : reviews;
        return new Product(
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
                rs.getLong("version"));
    }
}
