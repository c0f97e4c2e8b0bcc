package dev.gridserve.seed;

import dev.gridserve.schema.FieldDef;
import dev.gridserve.schema.TableSchema;
import dev.gridserve.storage.StoredRow;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Plausible rows for any table from its schema, the same for the same id and seed: allowed values where a field
 * lists them, vocabularies for the usual field names (customer, country, tags, note), numbers within the field's
 * bounds with a long tail, times over the last two years, unique keys built from the id. Orders get orders;
 * another table gets rows that exercise every filter, sort and facet it declares.
 */
final class RowGenerator {
    private static final String[] FIRST = {
        "Ada", "Alan", "Grace", "Émile", "Kurt", "Barbara", "Edsger", "Frances", "John", "Margaret", "Donald",
        "Sophie", "Niklaus", "Radia", "Tim", "Katherine", "Ken", "Dennis", "Bjarne", "Guido", "Søren", "Zoë"
    };
    private static final String[] LAST = {
        "Lovelace",
        "Turing",
        "Hopper",
        "Borel",
        "Gödel",
        "Liskov",
        "Dijkstra",
        "Allen",
        "McCarthy",
        "Hamilton",
        "Knuth",
        "Wilson",
        "Wirth",
        "Perlman",
        "Berners-Lee",
        "Johnson",
        "Thompson",
        "Ritchie",
        "Stroustrup"
    };
    private static final String[] COUNTRIES = {
        "Germany",
        "France",
        "United States",
        "United Kingdom",
        "Japan",
        "Brazil",
        "India",
        "Canada",
        "Spain",
        "Italy",
        "Netherlands",
        "Sweden",
        "Poland",
        "Mexico",
        "Australia",
        "South Korea",
        "Côte d'Ivoire"
    };
    private static final String[] TAGS = {
        "express", "gift-wrap", "b2b", "fragile", "first-order", "vip", "discounted", "backorder", "bulk", "eco"
    };
    private static final String[] WORDS = {
        "please",
        "leave",
        "at",
        "the",
        "door",
        "call",
        "before",
        "delivery",
        "side",
        "entrance",
        "fragile",
        "contents",
        "birthday",
        "present",
        "invoice",
        "needed",
        "for",
        "company",
        "ring",
        "bell",
        "twice"
    };
    private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");

    private final TableSchema schema;
    private final long seed;

    RowGenerator(TableSchema schema, long seed) {
        this.schema = schema;
        this.seed = seed;
    }

    StoredRow row(long id, long version) {
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + id);
        Instant created =
                NOW.minus(rnd.nextLong(730L * 24 * 3600), ChronoUnit.SECONDS).truncatedTo(ChronoUnit.MILLIS);
        Map<String, Object> v = new LinkedHashMap<>();
        for (FieldDef f : schema.fields()) {
            if (f.system()) {
                v.put(f.name(), created);
                continue;
            }
            if (!f.required() && rnd.nextInt(5) == 0) {
                v.put(f.name(), f.type() == dev.gridserve.schema.FieldType.KEYWORD_LIST ? List.of() : null);
                continue;
            }
            v.put(f.name(), value(f, id, created, rnd));
        }
        return new StoredRow(id, v, version);
    }

    private Object value(FieldDef f, long id, Instant created, SplittableRandom rnd) {
        String n = f.name().toLowerCase(Locale.ROOT);
        return switch (f.type()) {
            case KEYWORD -> {
                if (f.unique()) {
                    yield fit(
                            f,
                            (n.contains("number") ? "ORD-" : n.toUpperCase(Locale.ROOT) + "-")
                                    + String.format(Locale.ROOT, "%08d", id));
                }
                if (!f.limits().allowed().isEmpty()) {
                    // a skewed mix: the first values are the common ones
                    List<String> a = f.limits().allowed();
                    yield a.get(Math.min(a.size() - 1, (int) Math.floor(Math.pow(rnd.nextDouble(), 1.8) * a.size())));
                }
                yield fit(f, n.contains("country") ? pick(COUNTRIES, rnd) : f.name() + "-" + rnd.nextInt(40));
            }
            case TEXT ->
                fit(
                        f,
                        n.contains("customer") || n.contains("name")
                                ? pick(FIRST, rnd) + " " + pick(LAST, rnd)
                                : sentence(rnd));
            case KEYWORD_LIST -> {
                List<String> out = new ArrayList<>();
                int max = f.limits().maxItems() == null
                        ? 3
                        : Math.min(3, f.limits().maxItems());
                for (int k = rnd.nextInt(max + 1); k > 0; k--) {
                    String t = f.limits().allowed().isEmpty()
                            ? fit(f, n.contains("tag") ? pick(TAGS, rnd) : f.name() + "-" + rnd.nextInt(12))
                            : f.limits()
                                    .allowed()
                                    .get(rnd.nextInt(f.limits().allowed().size()));
                    if (!out.contains(t)) {
                        out.add(t);
                    }
                }
                yield List.copyOf(out);
            }
            case INTEGER, LONG -> {
                long lo = f.limits().min() == null ? 0 : f.limits().min().longValue();
                long hi = f.limits().max() == null
                        ? lo + 1000
                        : Math.min(f.limits().max().longValue(), lo + 20);
                long x = lo + (long) Math.floor(Math.pow(rnd.nextDouble(), 2.5) * (hi - lo + 1));
                yield f.type() == dev.gridserve.schema.FieldType.INTEGER ? (Object) (int) x : (Object) x;
            }
            case DECIMAL -> {
                double lo = f.limits().min() == null ? 0 : f.limits().min().doubleValue();
                double hi = f.limits().max() == null
                        ? 10_000
                        : Math.min(f.limits().max().doubleValue(), 5_000);
                double x = lo + Math.pow(rnd.nextDouble(), 3) * (hi - lo);
                yield BigDecimal.valueOf(x).setScale(f.scale(), java.math.RoundingMode.DOWN);
            }
            case DOUBLE -> {
                double lo = f.limits().min() == null ? 0 : f.limits().min().doubleValue();
                double hi = f.limits().max() == null ? 100 : f.limits().max().doubleValue();
                yield Math.round((lo + rnd.nextDouble() * (hi - lo)) * 100) / 100.0;
            }
            case BOOLEAN -> rnd.nextInt(4) == 0;
            case TIMESTAMP -> created.plus(rnd.nextLong(3 * 24 * 3600), ChronoUnit.SECONDS);
        };
    }

    private static String pick(String[] from, SplittableRandom rnd) {
        return from[rnd.nextInt(from.length)];
    }

    private static String sentence(SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder();
        for (int k = 3 + rnd.nextInt(8); k > 0; k--) {
            sb.append(sb.isEmpty() ? "" : " ").append(pick(WORDS, rnd));
        }
        return sb.toString();
    }

    /** Cut to the field's length limit. */
    private static String fit(FieldDef f, String s) {
        Integer max = f.limits().maxLength();
        return max == null || s.length() <= max ? s : s.substring(0, max);
    }
}
