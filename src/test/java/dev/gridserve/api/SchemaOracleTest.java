package dev.gridserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Apps;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.text.Normalizer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * One oracle for every table, driven by nothing but the table's description at /api/v1/tables: random filters
 * (any-of for keywords and booleans, ranges for numbers and times), searches and one- or two-key sorts, each list
 * walked by cursor to the end and compared with the rows read back with plain JDBC, filtered and sorted here by
 * rules written from the README, not from the engine's code. Run over products and orders.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchemaOracleTest {
    final PostgresSchema pg = new PostgresSchema();
    ConfigurableApplicationContext app;
    Http http;

    @BeforeAll
    void start() {
        app = Apps.start(Apps.over(pg, pg.dataDir, "gridserve.data.seed-on-empty=2500", "seed-table=orders=2500"));
        http = Apps.http(app);
    }

    @AfterAll
    void stop() {
        app.close();
        pg.drop();
    }

    record Field(String name, String type, boolean filterable, boolean sortable, boolean searchable) {}

    /** A row as plain Java values: String, List of String, BigDecimal (every number), Instant, Boolean, or null. */
    record Row(long id, Map<String, Object> values) {}

    static String fold(String s) {
        return Normalizer.normalize(s.toLowerCase(Locale.ROOT), Normalizer.Form.NFD)
                .replaceAll("\\p{M}+", "");
    }

    private List<Field> fields(String table) {
        List<Field> out = new ArrayList<>();
        http.get("/api/v1/tables/" + table)
                .json()
                .get("fields")
                .forEach(f -> out.add(new Field(
                        f.get("name").stringValue(),
                        f.get("type").stringValue(),
                        f.get("filterable").booleanValue(),
                        f.get("sortable").booleanValue(),
                        f.get("searchable").booleanValue())));
        return out;
    }

    private List<Row> rows(String table, List<Field> fields) throws Exception {
        List<Row> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "");
                ResultSet rs = c.createStatement().executeQuery("SELECT * FROM " + table)) {
            while (rs.next()) {
                Map<String, Object> v = new HashMap<>();
                for (Field f : fields) {
                    Object o = switch (f.type()) {
                        case "keyword_list" -> {
                            String s = rs.getString(f.name());
                            yield s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split(","));
                        }
                        case "integer", "long", "decimal", "double" -> rs.getBigDecimal(f.name());
                        case "timestamp" -> {
                            OffsetDateTime t = rs.getObject(f.name(), OffsetDateTime.class);
                            yield t == null ? null : t.toInstant();
                        }
                        case "boolean" -> rs.getObject(f.name());
                        default -> rs.getString(f.name());
                    };
                    v.put(f.name(), o);
                }
                out.add(new Row(rs.getLong("id"), v));
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"products", "orders"})
    void everyTableAnswersAsItsSchemaSays(String table) throws Exception {
        List<Field> fields = fields(table);
        List<Row> rows = rows(table, fields);
        assertThat(rows).hasSize(2500);
        Random rnd = new Random(table.hashCode());
        for (int i = 0; i < 50; i++) {
            List<String> params = new ArrayList<>();
            List<Predicate<Row>> preds = new ArrayList<>();
            for (Field f : fields) {
                if (!f.filterable() || rnd.nextInt(4) != 0) {
                    continue;
                }
                Row sample = rows.get(rnd.nextInt(rows.size()));
                Object v = sample.values().get(f.name());
                switch (f.type()) {
                    case "keyword", "boolean" -> {
                        if (v == null) {
                            continue;
                        }
                        String key = fold(v.toString());
                        params.add(f.name() + "=" + enc(v.toString().toUpperCase(Locale.ROOT)));
                        preds.add(r -> r.values().get(f.name()) != null
                                && fold(r.values().get(f.name()).toString()).equals(key));
                    }
                    case "keyword_list" -> {
                        List<?> items = (List<?>) v;
                        if (items.isEmpty()) {
                            continue;
                        }
                        String key = fold(items.get(rnd.nextInt(items.size())).toString());
                        params.add(f.name() + "=" + enc(key));
                        preds.add(r -> ((List<?>) r.values().get(f.name()))
                                .stream().anyMatch(x -> fold(x.toString()).equals(key)));
                    }
                    case "timestamp" -> {
                        if (v == null) {
                            continue;
                        }
                        Instant t = (Instant) v;
                        params.add("max_" + f.name() + "=" + enc(t.toString()));
                        preds.add(r -> r.values().get(f.name()) != null
                                && !((Instant) r.values().get(f.name())).isAfter(t));
                    }
                    default -> { // numbers
                        if (v == null) {
                            continue;
                        }
                        BigDecimal min = (BigDecimal) v;
                        params.add("min_" + f.name() + "=" + min.toPlainString());
                        preds.add(r -> r.values().get(f.name()) != null
                                && ((BigDecimal) r.values().get(f.name())).compareTo(min) >= 0);
                    }
                }
            }
            List<Field> searchable = fields.stream().filter(Field::searchable).toList();
            if (!searchable.isEmpty() && rnd.nextInt(3) == 0) {
                Field f = searchable.get(rnd.nextInt(searchable.size()));
                Object v = rows.get(rnd.nextInt(rows.size())).values().get(f.name());
                if (v instanceof String s && !s.isBlank()) {
                    String word = fold(s).split("\\s+")[0];
                    String term = word.substring(0, Math.min(word.length(), 2 + rnd.nextInt(4)));
                    if (!term.isEmpty()) {
                        params.add("search=" + enc(term));
                        preds.add(r -> searchable.stream().anyMatch(sf -> {
                            Object x = r.values().get(sf.name());
                            return x instanceof String xs && fold(xs).contains(term);
                        }));
                    }
                }
            }
            List<Field> sortable = fields.stream().filter(Field::sortable).toList();
            Comparator<Row> cmp = null;
            List<String> keys = new ArrayList<>();
            boolean firstDesc = true;
            for (int k = 1 + rnd.nextInt(2); k > 0; k--) {
                Field f = sortable.get(rnd.nextInt(sortable.size()));
                if (keys.stream().anyMatch(x -> x.startsWith(f.name() + ":"))) {
                    continue;
                }
                boolean desc = rnd.nextBoolean();
                firstDesc = keys.isEmpty() ? desc : firstDesc;
                keys.add(f.name() + ":" + (desc ? "desc" : "asc"));
                Comparator<Row> c = key(f);
                cmp = cmp == null ? (desc ? c.reversed() : c) : cmp.thenComparing(desc ? c.reversed() : c);
            }
            params.add("sort=" + String.join(",", keys));
            Comparator<Row> byId = Comparator.comparingLong(Row::id);
            cmp = cmp.thenComparing(firstDesc ? byId.reversed() : byId);
            int pageSize = 1 + rnd.nextInt(500);
            params.add("page_size=" + pageSize);
            String query = String.join("&", params);
            List<Long> expected = rows.stream()
                    .filter(r -> preds.stream().allMatch(p -> p.test(r)))
                    .sorted(cmp)
                    .map(Row::id)
                    .toList();
            assertThat(walk(table, query)).as(table + "?" + query).containsExactlyElementsOf(expected);
        }
    }

    /** The order a sort key gives: text folded and compared as UTF-8 bytes, a row without a value first. */
    private static Comparator<Row> key(Field f) {
        return (a, b) -> {
            Object x = a.values().get(f.name());
            Object y = b.values().get(f.name());
            if (f.type().equals("text") || f.type().equals("keyword")) {
                byte[] xs = fold(x == null ? "" : x.toString()).getBytes(StandardCharsets.UTF_8);
                byte[] ys = fold(y == null ? "" : y.toString()).getBytes(StandardCharsets.UTF_8);
                return Arrays.compareUnsigned(xs, ys);
            }
            if (x == null || y == null) {
                return x == null ? (y == null ? 0 : -1) : 1;
            }
            @SuppressWarnings({"unchecked", "rawtypes"})
            int c = ((Comparable) x).compareTo(y);
            return c;
        };
    }

    private List<Long> walk(String table, String query) {
        List<Long> got = new ArrayList<>();
        String url = "/api/v1/" + table + "?" + query;
        for (int pages = 0; pages < 5000 && url != null; pages++) {
            Http.Response r = http.get(url);
            assertThat(r.status()).as(url + " " + r.raw()).isEqualTo(200);
            JsonNode body = r.json();
            body.get(table).forEach(o -> got.add(Long.parseLong(o.get("_id").stringValue())));
            url = body.get("next_cursor").isNull()
                    ? null
                    : "/api/v1/" + table + "?" + query + "&cursor="
                            + body.get("next_cursor").stringValue();
        }
        return got;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
