package dev.gridserve.support;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Awkward products for oracle tests: accents, punctuation, case, missing optional fields, and deliberately
 * few distinct timestamps, prices and ratings so that ties (broken by id) are everywhere.
 */
public final class RandomCatalog {
    public static final String[] WORDS = {
        "Laptop",
        "laptops",
        "Café",
        "crème",
        "NAÏVE",
        "USB-C",
        "R&D",
        "50%",
        "(pack)",
        "cable,",
        "Ærø",
        "straße",
        "İstanbul",
        "chair",
        "Chai",
        "teapot",
        "top",
        "lap",
        "ch",
        "x",
        "über",
        "Zoë",
        "mañana",
        "a.b",
        "c++",
        "\"quoted\"",
        "back\\slash",
        "émigré",
        "ÉCLAIR",
        "eclair",
        "Lapland",
        "overlap",
        "laplapland",
        "smile\ud83d\ude00",
        "\ud83d\ude00\ud83d\ude42x"
    };
    public static final String[] CATEGORIES = {"Electronics", "Home & Kitchen", "Café Supplies", "Toys", "Books"};
    public static final String[] BRANDS = {"Acme", "Globex", "Émile", "Initech"};
    public static final String[] TAGS = {"new", "sale", "eco", "café", "premium", "gift"};

    private final Random r;

    public RandomCatalog(long seed) {
        this.r = new Random(seed);
    }

    public String text(int minWords, int maxWords) {
        int n = minWords + r.nextInt(maxWords - minWords + 1);
        List<String> w = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            w.add(WORDS[r.nextInt(WORDS.length)]);
        }
        return String.join(r.nextInt(10) == 0 ? "  " : " ", w);
    }

    /**
     * Mostly the value as given, sometimes another spelling that filters treat as the same (other case, accents
     * dropped), so facets and per-category stats must merge spellings.
     */
    public String respell(String v) {
        return switch (r.nextInt(8)) {
            case 0 -> v.toLowerCase(Locale.ROOT);
            case 1 -> v.toUpperCase(Locale.ROOT);
            case 2 ->
                java.text.Normalizer.normalize(v, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "");
            default -> v;
        };
    }

    public String pick(String[] a) {
        return a[r.nextInt(a.length)];
    }

    public Random random() {
        return r;
    }

    /** Inserts {@code n} products with ids starting at {@code firstId}, all at change {@code version}. */
    public void insert(String jdbcUrl, long firstId, int n, long version) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            c.setAutoCommit(false);
            PreparedStatement ps = c.prepareStatement("INSERT INTO products (id, name, description, price, category,"
                    + " stock, sku, sku_key, brand, rating, reviews_count, tags, created_at, updated_at, version)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            for (int i = 0; i < n; i++) {
                long id = firstId + i;
                String sku = "SKU-" + Integer.toString(r.nextInt(1_000_000), 36).toUpperCase(Locale.ROOT) + "-" + id;
                ps.setLong(1, id);
                ps.setString(2, text(1, 4));
                ps.setString(3, text(2, 8));
                ps.setBigDecimal(4, BigDecimal.valueOf(100 + 50L * r.nextInt(40), 2));
                ps.setString(5, respell(pick(CATEGORIES)));
                ps.setInt(6, r.nextInt(4) == 0 ? 0 : r.nextInt(30));
                ps.setString(7, sku);
                ps.setString(8, sku.toLowerCase(Locale.ROOT));
                ps.setString(9, r.nextInt(5) == 0 ? null : respell(pick(BRANDS)));
                ps.setObject(10, r.nextInt(5) == 0 ? null : r.nextInt(11) / 2.0);
                ps.setObject(11, r.nextInt(5) == 0 ? null : r.nextInt(5));
                LinkedHashSet<String> tags = new LinkedHashSet<>();
                for (int t = r.nextInt(4); t > 0; t--) {
                    tags.add(respell(pick(TAGS)).toLowerCase(Locale.ROOT)); // the API stores tags lower-cased
                }
                ps.setString(12, String.join(",", tags));
                Instant created = Instant.parse("2025-01-01T00:00:00Z").plusSeconds(3600L * r.nextInt(30));
                ps.setObject(13, OffsetDateTime.ofInstant(created, ZoneOffset.UTC));
                ps.setObject(14, OffsetDateTime.ofInstant(created.plusSeconds(60L * r.nextInt(5)), ZoneOffset.UTC));
                ps.setLong(15, version);
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        }
    }
}
