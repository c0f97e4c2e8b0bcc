package dev.gridserve.support;

import dev.gridserve.product.Product;
import dev.gridserve.search.Text;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The list rules stated as plain Java over a list: what the engine must return. Deliberately brute force and
 * written from the API description, not from the engine's code.
 */
public final class Oracle {
    private static final Pattern RUN = Pattern.compile("[\\p{L}\\p{Nd}]+");

    /** A list request in oracle terms. */
    public record Query(
            List<String> terms,
            Set<String> categories,
            Set<String> brands,
            Set<String> tags,
            BigDecimal minPrice,
            BigDecimal maxPrice,
            Integer minStock,
            Integer maxStock,
            Double minRating,
            String sortBy,
            boolean desc) {}

    private Oracle() {}

    public static List<Product> run(List<Product> all, Query q) {
        List<Product> out = new ArrayList<>();
        for (Product p : all) {
            if (matches(p, q)) {
                out.add(p);
            }
        }
        out.sort(order(q));
        return out;
    }

    static boolean matches(Product p, Query q) {
        for (String t : q.terms()) {
            if (!(Text.fold(p.name()).contains(t)
                    || Text.fold(p.description()).contains(t)
                    || Text.fold(p.sku()).contains(t))) {
                return false;
            }
        }
        if (!q.categories().isEmpty() && !q.categories().contains(Text.fold(p.category()))) {
            return false;
        }
        if (!q.brands().isEmpty() && (p.brand() == null || !q.brands().contains(Text.fold(p.brand())))) {
            return false;
        }
        if (!q.tags().isEmpty() && p.tags().stream().noneMatch(t -> q.tags().contains(Text.fold(t)))) {
            return false;
        }
        BigDecimal price = BigDecimal.valueOf(p.priceCents(), 2);
        if (q.minPrice() != null && price.compareTo(q.minPrice()) < 0) {
            return false;
        }
        if (q.maxPrice() != null && price.compareTo(q.maxPrice()) > 0) {
            return false;
        }
        if (q.minStock() != null && p.stock() < q.minStock()) {
            return false;
        }
        if (q.maxStock() != null && p.stock() > q.maxStock()) {
            return false;
        }
        return q.minRating() == null || (p.rating() != null && p.rating() >= q.minRating());
    }

    static Comparator<Product> order(Query q) {
        Comparator<Product> key = switch (q.sortBy()) {
            case "name" -> (a, b) -> Arrays.compareUnsigned(utf8(Text.fold(a.name())), utf8(Text.fold(b.name())));
            case "price" -> Comparator.comparingLong(Product::priceCents);
            case "stock" -> Comparator.comparingInt(Product::stock);
            case "rating" -> Comparator.comparingDouble(p -> p.rating() == null ? -1 : p.rating());
            case "reviews_count" -> Comparator.comparingInt(p -> p.reviewsCount() == null ? -1 : p.reviewsCount());
            case "updated_at" -> Comparator.comparing(Product::updatedAt);
            case "relevance" -> Comparator.comparingInt(p -> score(p, q.terms()));
            default -> Comparator.comparing(Product::createdAt);
        };
        Comparator<Product> full = key.thenComparingLong(Product::id);
        return q.desc() ? full.reversed() : full;
    }

    /** Per term: 3 if it is a whole word, 2 if a word starts with it, 1 if it is inside one; summed. */
    public static int score(Product p, List<String> terms) {
        Set<String> words = new HashSet<>();
        for (String field : List.of(p.name(), p.description(), p.sku())) {
            for (String chunk : Text.fold(field).split("\\s+")) {
                if (chunk.isEmpty()) {
                    continue;
                }
                words.add(chunk);
                Matcher m = RUN.matcher(chunk);
                while (m.find()) {
                    words.add(m.group());
                }
            }
        }
        int total = 0;
        for (String t : terms) {
            int best = 1;
            for (String w : words) {
                if (w.equals(t)) {
                    best = 3;
                    break;
                }
                if (w.startsWith(t)) {
                    best = 2;
                }
            }
            total += best;
        }
        return total;
    }

    public static Map<String, Long> facet(List<Product> matched, String facet) {
        return matched.stream()
                .flatMap(p -> switch (facet) {
                    case "category" -> java.util.stream.Stream.of(p.category());
                    case "brand" ->
                        p.brand() == null
                                ? java.util.stream.Stream.<String>empty()
                                : java.util.stream.Stream.of(p.brand());
                    default -> p.tags().stream();
                })
                .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
