package dev.gridserve.product;

import dev.gridserve.system.JsonText;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Renders a product as the wire JSON of the original service. Done by hand because the result is stored in
 * the index and concatenated into list responses: a page is written without re-serializing any product.
 */
public final class ProductJson {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

    private ProductJson() {}

    public static String write(Product p) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("{\"_id\":\"").append(p.id()).append('"');
        sb.append(",\"name\":");
        string(sb, p.name());
        sb.append(",\"description\":");
        string(sb, p.description());
        sb.append(",\"price\":").append(price(p.priceCents()));
        sb.append(",\"category\":");
        string(sb, p.category());
        sb.append(",\"stock\":").append(p.stock());
        sb.append(",\"sku\":");
        string(sb, p.sku());
        sb.append(",\"brand\":");
        if (p.brand() == null) {
            sb.append("null");
        } else {
            string(sb, p.brand());
        }
        sb.append(",\"rating\":").append(p.rating() == null ? "null" : rating(p.rating()));
        sb.append(",\"reviews_count\":")
                .append(p.reviewsCount() == null ? "null" : p.reviewsCount().toString());
        sb.append(",\"tags\":[");
        for (int i = 0; i < p.tags().size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            string(sb, p.tags().get(i));
        }
        sb.append("],\"created_at\":\"").append(instant(p.createdAt()));
        sb.append("\",\"updated_at\":\"").append(instant(p.updatedAt())).append("\"}");
        return sb.toString();
    }

    public static String price(long cents) {
        return BigDecimal.valueOf(cents, 2).toPlainString();
    }

    static String rating(double r) {
        return BigDecimal.valueOf(r).stripTrailingZeros().toPlainString();
    }

    public static String instant(Instant t) {
        return ISO.format(t);
    }

    public static void string(StringBuilder sb, String s) {
        JsonText.string(sb, s);
    }
}
