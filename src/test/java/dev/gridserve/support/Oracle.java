package dev.gridserve.support;

import dev.gridserve.product.Product;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
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
            boolean desc,
            List<String> thenBy) {
        /** {@code thenBy}: further sort keys after the first, each "field:asc" or "field:desc". */
        public Query {
            thenBy = List.copyOf(thenBy);
        }

        public Query(
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
                boolean desc) {
            this(
                    terms,
                    categories,
                    brands,
                    tags,
                    minPrice,
                    maxPrice,
                    minStock,
                    maxStock,
                    minRating,
                    sortBy,
                    desc,
                    List.of());
        }
    }

    private Oracle() {}

    /**
     * Case- and accent-insensitive form of a text, as the API promises to match it: lower case without regard
     * to locale, then every combining mark dropped from the canonical decomposition. Written here rather than
     * reusing the engine's folding, so that a folding bug shows up as a difference.
     */
    public static String fold(String s) {
        String decomposed = Normalizer.normalize(s.toLowerCase(Locale.ROOT), Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        decomposed.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            if (type != Character.NON_SPACING_MARK
                    && type != Character.ENCLOSING_MARK
                    && type != Character.COMBINING_SPACING_MARK) {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

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
            if (!(fold(p.name()).contains(t)
                    || fold(p.description()).contains(t)
                    || fold(p.sku()).contains(t))) {
                return false;
            }
        }
        if (!q.categories().isEmpty() && !q.categories().contains(fold(p.category()))) {
            return false;
        }
        if (!q.brands().isEmpty() && (p.brand() == null || !q.brands().contains(fold(p.brand())))) {
            return false;
        }
        if (!q.tags().isEmpty() && p.tags().stream().noneMatch(t -> q.tags().contains(fold(t)))) {
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
        Comparator<Product> first = key(q.sortBy(), q);
        Comparator<Product> full = q.desc() ? first.reversed() : first;
        for (String t : q.thenBy()) {
            String[] kd = t.split(":");
            Comparator<Product> k = key(kd[0], q);
            full = full.thenComparing(kd[1].equals("desc") ? k.reversed() : k);
        }
        // last, the id, in the first key's direction
        Comparator<Product> id = Comparator.comparingLong(Product::id);
        return full.thenComparing(q.desc() ? id.reversed() : id);
    }

    private static Comparator<Product> key(String field, Query q) {
        return switch (field) {
            case "name" -> (a, b) -> Arrays.compareUnsigned(utf8(fold(a.name())), utf8(fold(b.name())));
            case "price" -> Comparator.comparingLong(Product::priceCents);
            case "stock" -> Comparator.comparingInt(Product::stock);
            case "rating" -> Comparator.comparingDouble(p -> p.rating() == null ? -1 : p.rating());
            case "reviews_count" -> Comparator.comparingInt(p -> p.reviewsCount() == null ? -1 : p.reviewsCount());
            case "updated_at" -> Comparator.comparing(Product::updatedAt);
            case "relevance" -> Comparator.comparingInt(p -> score(p, q.terms()));
            default -> Comparator.comparing(Product::createdAt);
        };
    }

    /** Per term: 3 if it is a whole word, 2 if a word starts with it, 1 if it is inside one; summed. */
    public static int score(Product p, List<String> terms) {
        Set<String> words = new HashSet<>();
        for (String field : List.of(p.name(), p.description(), p.sku())) {
            for (String chunk : fold(field).split("\\s+")) {
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

    /**
     * Facet counts as a filter on each value would select: spellings with the same folded form are one row,
     * named by the spelling most of its products have (the alphabetically first on a tie).
     */
    public static Map<String, Long> facet(List<Product> matched, String facet) {
        return labelled(matched.stream()
                .flatMap(p -> switch (facet) {
                    case "category" -> java.util.stream.Stream.of(p.category());
                    case "brand" ->
                        p.brand() == null
                                ? java.util.stream.Stream.<String>empty()
                                : java.util.stream.Stream.of(p.brand());
                    // a product holding two spellings of one tag counts once, under the first it lists: the
                    // facet row counts what clicking it selects
                    default -> firstSpellings(p.tags()).stream();
                })
                .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting())));
    }

    /** The values with a folded form met before dropped: what one row contributes to a facet. */
    static List<String> firstSpellings(List<String> values) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return values.stream().filter(v -> seen.add(fold(v))).toList();
    }

    /** Counts per spelling merged per folded form, under the most frequent spelling. */
    public static Map<String, Long> labelled(Map<String, Long> bySpelling) {
        Map<String, Map<String, Long>> byFold = new TreeMap<>();
        bySpelling.forEach(
                (v, n) -> byFold.computeIfAbsent(fold(v), k -> new TreeMap<>()).put(v, n));
        Map<String, Long> out = new TreeMap<>();
        byFold.values().forEach(spellings -> {
            String label = null;
            long best = -1;
            long total = 0;
            for (Map.Entry<String, Long> e : spellings.entrySet()) { // alphabetical: the first of equals wins
                total += e.getValue();
                if (e.getValue() > best) {
                    best = e.getValue();
                    label = e.getKey();
                }
            }
            out.put(label, total);
        });
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
