package dev.gridserve.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/** The fixed query mix: each shape as an HTTP request (varying only where the shape says so). */
final class Shapes {
    static final String API = "/api/v1/products";

    static Map<String, String> fixed() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("first_page", API);
        m.put("category_price_by_price", API + "?category=Electronics&min_price=100&max_price=500&sort_by=price"
                + "&sort_order=asc");
        m.put("search_laptop", API + "?search=laptop");
        m.put("search_lap", API + "?search=lap");
        m.put("search_ch", API + "?search=ch");
        m.put("tags_stock_by_rating", API + "?tags=sale,eco&min_stock=10&sort_by=rating");
        m.put("deep_page_number", API + "?sort_by=price&sort_order=asc&page=2000&page_size=50");
        // deep pages that no cached histogram serves: inside a filter, and by a text sort
        m.put("deep_page_price_in_category", API + "?category=Books&sort_by=price&sort_order=asc&page=500&page_size=50");
        m.put("deep_page_name_in_category", API + "?category=Books&sort_by=name&sort_order=asc&page=500&page_size=50");
        m.put("facets_on_search", API + "?search=pro&facets=category,brand,tags");
        m.put("stats_summary", API + "/stats/summary");
        return m;
    }

    static IntFunction<HttpRequest> get(String base, String path) {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + path)).GET().build();
        return i -> r;
    }

    static IntFunction<HttpRequest> byId(String base, long products) {
        return i -> HttpRequest.newBuilder(URI.create(base + API + "/" + (1 + Math.floorMod(i * 7919L, products))))
                .GET()
                .build();
    }

    /** Uncached mixed reads: the common shapes in turn (no deep pages), plus gets by id. */
    static IntFunction<HttpRequest> mixedReads(String base, long products) {
        List<String> paths = new ArrayList<>();
        fixed().forEach((name, path) -> {
            if (!name.startsWith("deep_page")) {
                paths.add(path);
            }
        });
        IntFunction<HttpRequest> ids = byId(base, products);
        return i -> {
            int k = Math.floorMod(i, paths.size() + 1);
            return k == paths.size()
                    ? ids.apply(i)
                    : HttpRequest.newBuilder(URI.create(base + paths.get(k))).GET().build();
        };
    }

    /** 90% mixed reads, 10% stock updates of random products. */
    static IntFunction<HttpRequest> mixedWithWrites(String base, long products) {
        IntFunction<HttpRequest> reads = mixedReads(base, products);
        return i -> {
            if (Math.floorMod(i, 10) != 0) {
                return reads.apply(i);
            }
            long id = 1 + Math.floorMod(i * 104729L, products);
            return HttpRequest.newBuilder(URI.create(base + API + "/" + id))
                    .header("Content-Type", "application/json")
                    .header("X-API-Key", Bench.ADMIN_KEY)
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"stock\":" + Math.floorMod(i, 500) + "}"))
                    .build();
        };
    }

    /** A few thousand distinct list queries drawn with Zipf(1.0) popularity, as a UI's traffic looks. */
    static IntFunction<HttpRequest> zipf(String base, int distinct, long seed) {
        String[] cats = {
            "Electronics", "Clothing", "Home %26 Kitchen", "Sports", "Books", "Toys", "Beauty", "Automotive",
            "Garden", "Health", "Office", "Pet Supplies"
        };
        String[] sorts = {"created_at", "price", "rating", "name"};
        List<String> queries = new ArrayList<>();
        for (int i = 0; queries.size() < distinct; i++) {
            queries.add(API + "?category=" + cats[i % cats.length].replace(" ", "+") + "&sort_by="
                    + sorts[(i / cats.length) % sorts.length] + "&page=" + (1 + (i / 48) % 10) + "&page_size=50"
                    + (i / 480 > 0 ? "&min_price=" + (i / 480) * 10 : ""));
        }
        double[] cdf = new double[distinct];
        double sum = 0;
        for (int r = 0; r < distinct; r++) {
            sum += 1.0 / (r + 1);
            cdf[r] = sum;
        }
        double total = sum;
        SplittableRandom rnd = new SplittableRandom(seed);
        return i -> {
            double u;
            synchronized (rnd) {
                u = rnd.nextDouble() * total;
            }
            int idx = java.util.Arrays.binarySearch(cdf, u);
            idx = idx < 0 ? -idx - 1 : idx;
            return HttpRequest.newBuilder(URI.create(base + queries.get(Math.min(idx, distinct - 1))))
                    .GET()
                    .build();
        };
    }
}
