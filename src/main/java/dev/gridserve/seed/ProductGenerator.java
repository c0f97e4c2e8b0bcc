package dev.gridserve.seed;

import dev.gridserve.product.Product;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Realistic, deterministic products: the same (random seed, id) always gives the same product. Names and
 * descriptions are shaped by category; ratings lean high and reviews follow ratings.
 */
public final class ProductGenerator {
    record Category(String name, String code, String[] adjectives, String[] nouns) {}

    static final Category[] CATEGORIES = {
        new Category(
                "Electronics",
                "ELE",
                a("Wireless", "Smart", "Portable", "Ultra", "Pro"),
                a("Laptop", "Headphones", "Speaker", "Monitor", "Keyboard", "Tablet", "Camera", "Charger")),
        new Category(
                "Clothing",
                "CLO",
                a("Classic", "Slim", "Organic", "Vintage", "Casual"),
                a("T-Shirt", "Jacket", "Jeans", "Sweater", "Dress", "Hoodie", "Shorts", "Scarf")),
        new Category(
                "Home & Kitchen",
                "HOM",
                a("Stainless", "Nonstick", "Compact", "Deluxe", "Ceramic"),
                a("Blender", "Cookware Set", "Coffee Maker", "Knife Set", "Toaster", "Kettle", "Mixer")),
        new Category(
                "Sports",
                "SPO",
                a("Pro", "Lightweight", "Durable", "Adjustable", "Training"),
                a("Yoga Mat", "Dumbbell", "Running Shoes", "Tennis Racket", "Football", "Bike Helmet")),
        new Category(
                "Books",
                "BOO",
                a("Illustrated", "Complete", "Essential", "Modern", "Pocket"),
                a("Cookbook", "Novel", "Guide", "Atlas", "Biography", "Encyclopedia", "Workbook")),
        new Category(
                "Toys",
                "TOY",
                a("Creative", "Educational", "Classic", "Interactive", "Giant"),
                a("Puzzle", "Building Blocks", "Doll", "Robot", "Board Game", "Plush Bear", "Train Set")),
        new Category(
                "Beauty",
                "BEA",
                a("Hydrating", "Natural", "Matte", "Gentle", "Radiant"),
                a("Face Cream", "Lipstick", "Shampoo", "Serum", "Perfume", "Sunscreen", "Mascara")),
        new Category(
                "Automotive",
                "AUT",
                a("Heavy-Duty", "Universal", "Premium", "Digital", "Compact"),
                a("Car Charger", "Tire Inflator", "Seat Cover", "Dash Cam", "Floor Mats", "Jump Starter")),
        new Category(
                "Garden",
                "GAR",
                a("Solar", "Ergonomic", "Weatherproof", "Raised", "Expandable"),
                a("Garden Hose", "Pruning Shears", "Planter", "Lawn Mower", "Sprinkler", "Garden Lights")),
        new Category(
                "Health",
                "HEA",
                a("Digital", "Organic", "Daily", "Advanced", "Soothing"),
                a("Thermometer", "Vitamins", "Massager", "Blood Pressure Monitor", "First Aid Kit")),
        new Category(
                "Office",
                "OFF",
                a("Ergonomic", "Executive", "Recycled", "Wireless", "Compact"),
                a("Desk Chair", "Notebook", "Stapler", "Desk Lamp", "Printer", "Whiteboard", "Organizer")),
        new Category(
                "Pet Supplies",
                "PET",
                a("Cozy", "Durable", "Automatic", "Natural", "Interactive"),
                a("Dog Bed", "Cat Tree", "Pet Feeder", "Leash", "Chew Toy", "Litter Box", "Aquarium"))
    };

    static final String[] BRANDS = {
        "Acme",
        "Globex",
        "Initech",
        "Umbrella",
        "Stark",
        "Wayne",
        "Wonka",
        "Hooli",
        "Vandelay",
        "Soylent",
        "Tyrell",
        "Cyberdyne",
        "Aperture",
        "Massive",
        "Nakatomi"
    };

    static final String[] TAGS = {
        "new",
        "sale",
        "bestseller",
        "eco",
        "premium",
        "budget",
        "limited",
        "gift",
        "trending",
        "clearance",
        "exclusive",
        "bundle",
        "handmade",
        "imported",
        "organic",
        "refurbished"
    };

    private static final String[] FEATURES = {
        "long-lasting battery",
        "premium materials",
        "a two-year warranty",
        "easy setup",
        "a sleek design",
        "award-winning quality",
        "fast shipping",
        "eco-friendly packaging",
        "a compact footprint",
        "café-grade performance",
        "naïve simplicity",
        "all-day comfort",
        "water resistance",
        "quiet operation"
    };

    private static final Instant END = Instant.parse("2026-01-01T00:00:00Z");
    private static final long THREE_YEARS_MS = 3L * 365 * 24 * 3600 * 1000;

    private final long seed;

    public ProductGenerator(long seed) {
        this.seed = seed;
    }

    public Product product(long id, long version) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + id);
        Category c = CATEGORIES[r.nextInt(CATEGORIES.length)];
        String adjective = pick(r, c.adjectives());
        String noun = pick(r, c.nouns());
        String brand = r.nextInt(20) == 0 ? null : pick(r, BRANDS);
        String name = (brand == null ? "" : brand + " ") + adjective + " " + noun + " " + (char) ('A' + r.nextInt(26))
                + (100 + r.nextInt(900));
        String description = "The " + adjective.toLowerCase() + " " + noun.toLowerCase() + " from "
                + (brand == null ? "an independent maker" : brand) + " offers " + pick(r, FEATURES) + " and "
                + pick(r, FEATURES) + ". Ideal for " + c.name().toLowerCase() + " lovers.";
        long priceCents = price(r);
        Double rating = r.nextInt(10) == 0 ? null : rating(r);
        Integer reviews = rating == null ? null : (int) Math.round(Math.pow(rating, 3) * r.nextDouble() * 40);
        int stock = r.nextInt(8) == 0 ? 0 : r.nextInt(1000);
        LinkedHashSet<String> tags = new LinkedHashSet<>();
        int nTags = 2 + r.nextInt(4);
        while (tags.size() < nTags) {
            tags.add(pick(r, TAGS));
        }
        Instant created =
                END.minusMillis((long) (r.nextDouble() * THREE_YEARS_MS)).truncatedTo(ChronoUnit.MILLIS);
        Instant updated = created.plusMillis((long) (r.nextDouble() * 30L * 24 * 3600 * 1000));
        if (updated.isAfter(END)) {
            updated = END;
        }
        String sku = c.code() + "-" + String.format("%04d", id % 10000) + "-" + letters(id / 10000);
        return new Product(
                id,
                name,
                description,
                priceCents,
                c.name(),
                stock,
                sku,
                brand,
                rating,
                reviews,
                new ArrayList<>(tags),
                created,
                updated,
                version);
    }

    /** 5.99 .. 9999.99, most products cheap: a log-uniform spread ending in .99 or .49. */
    private static long price(SplittableRandom r) {
        double dollars = Math.exp(Math.log(5) + r.nextDouble() * (Math.log(9999) - Math.log(5)));
        long whole = Math.max(5, Math.min(9999, (long) dollars));
        return whole * 100 + (whole > 5 && r.nextBoolean() ? 49 : 99);
    }

    /** Weighted high: most between 3.5 and 5, one decimal. */
    private static double rating(SplittableRandom r) {
        double v = 5 - Math.abs(r.nextDouble() + r.nextDouble() - 1) * 3.5 - r.nextDouble() * 0.5;
        return Math.round(Math.max(1, Math.min(5, v)) * 10) / 10.0;
    }

    private static String letters(long n) {
        char[] out = new char[3];
        for (int i = 2; i >= 0; i--) {
            out[i] = (char) ('A' + n % 26);
            n /= 26;
        }
        return new String(out);
    }

    private static String pick(SplittableRandom r, String[] options) {
        return options[r.nextInt(options.length)];
    }

    private static String[] a(String... s) {
        return s;
    }

    static List<String> categoryNames() {
        return java.util.Arrays.stream(CATEGORIES).map(Category::name).toList();
    }
}
