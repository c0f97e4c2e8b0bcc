package dev.gridserve.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Apps;
import dev.gridserve.support.Bodies;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import dev.gridserve.support.TcpProxy;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** Rate limits with real instances and the real Redis: shared budgets, headers, addresses, Redis down. */
class RateLimitTest {
    static final PostgresSchema PG = new PostgresSchema();

    @AfterAll
    static void drop() {
        PG.drop();
    }

    /** An instance over the shared schema with rate limits on; {@code more} override. */
    static ConfigurableApplicationContext instance(String... more) throws Exception {
        List<String> props = new ArrayList<>(List.of(
                "gridserve.rate-limit.enabled=true",
                "gridserve.cache.redis-url=redis://127.0.0.1:6379",
                "gridserve.cache.namespace=" + PG.schema + "-" + System.nanoTime()));
        props.addAll(List.of(more));
        return Apps.start(Apps.over(PG, Files.createTempDirectory("gridserve-rl-"), props.toArray(String[]::new)));
    }

    @Test
    void twoInstancesSharingRedisAdmitTheBudgetBetweenThem() throws Exception {
        long burst = 100;
        long perSecond = 50;
        String namespace = "gridserve.cache.namespace=" + PG.schema + "-shared";
        String[] limits = {
            namespace,
            "gridserve.rate-limit.read-burst=" + burst,
            "gridserve.rate-limit.reads-per-second=" + perSecond,
            // the load below shares two cores with both instances and Redis: no fallback for a slow answer
            "gridserve.cache.redis-timeout=1s"
        };
        try (ConfigurableApplicationContext a = instance(limits);
                ConfigurableApplicationContext b = instance(limits)) {
            String key = Apps.http(a)
                    .post("/api/v1/admin/keys", "{\"name\":\"busy\",\"role\":\"reader\"}")
                    .json()
                    .get("key")
                    .stringValue();
            List<Http> targets = List.of(Apps.http(a).as(key), Apps.http(b).as(key));
            for (Http t : targets) { // both know the key before the clock starts
                while (t.get("/health").status() != 200
                        || t.get("/api/v1/auth/me").status() == 401) {
                    Thread.sleep(20);
                }
            }
            // the two warm-up reads above drew on the budget too; start from a fresh caller instead
            AtomicInteger admitted = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            AtomicInteger other = new AtomicInteger();
            long durationNanos = 4_000_000_000L;
            AtomicLong first = new AtomicLong(Long.MAX_VALUE);
            AtomicLong last = new AtomicLong();
            String key2 = Apps.http(a)
                    .post("/api/v1/admin/keys", "{\"name\":\"measured\",\"role\":\"reader\"}")
                    .json()
                    .get("key")
                    .stringValue();
            List<Http> measured = List.of(Apps.http(a).as(key2), Apps.http(b).as(key2));
            Thread.sleep(1500); // both instances have re-read the keys
            long start = System.nanoTime();
            try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
                List<Future<?>> jobs = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    Http target = measured.get(t % 2);
                    jobs.add(pool.submit(() -> {
                        while (System.nanoTime() - start < durationNanos) {
                            long sent = System.nanoTime();
                            int status = target.get("/api/v1/auth/me").status();
                            if (status == 200) {
                                admitted.incrementAndGet();
                                first.accumulateAndGet(sent, Math::min);
                                last.accumulateAndGet(sent, Math::max);
                            } else if (status == 429) {
                                refused.incrementAndGet();
                            } else {
                                other.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : jobs) {
                    f.get();
                }
            }
            double seconds = (last.get() - first.get()) / 1e9;
            double budget = burst + perSecond * seconds;
            System.out.printf(
                    "rate limit over two instances: admitted %d, refused %d, budget %.1f over %.2f s (%.2f%%)%n",
                    admitted.get(), refused.get(), budget, seconds, 100.0 * (admitted.get() - budget) / budget);
            assertThat(other.get()).isZero();
            assertThat(refused.get()).isGreaterThan(admitted.get()); // the load really was over the limit
            assertThat((double) admitted.get()).isBetween(budget * 0.95, budget * 1.05);
        }
    }

    @Test
    void everyAnswerSaysWhereTheCallerStandsAndA429SaysWhenToRetry() throws Exception {
        try (ConfigurableApplicationContext ctx = instance(
                "gridserve.rate-limit.write-burst=2",
                "gridserve.rate-limit.writes-per-second=1",
                "gridserve.rate-limit.read-burst=1000")) {
            Http http = Apps.http(ctx);
            Http.Response ok = http.post("/api/v1/products", Bodies.product("RL-1", 1));
            assertThat(ok.status()).isEqualTo(201);
            assertThat(ok.header("RateLimit-Limit")).isEqualTo("2");
            assertThat(ok.header("RateLimit-Remaining")).isEqualTo("1");
            assertThat(Long.parseLong(ok.header("RateLimit-Reset"))).isBetween(1L, 2L);
            assertThat(http.post("/api/v1/products", Bodies.product("RL-2", 1)).status())
                    .isEqualTo(201);
            Http.Response limited = http.post("/api/v1/products", Bodies.product("RL-3", 1));
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
            assertThat(limited.header("Retry-After")).isEqualTo("1");
            assertThat(limited.header("RateLimit-Remaining")).isEqualTo("0");
            assertThat(limited.json().get("detail").stringValue())
                    .isEqualTo("Too many writes from this client: the limit is 1 per second with bursts of up to 2;"
                            + " retry in 1 s.");
            // nothing was written by the refused request; reads have a budget of their own
            assertThat(http.get("/api/v1/products?search=rl-3")
                            .json()
                            .get("total")
                            .asLong())
                    .isZero();
            assertThat(http.get("/api/v1/products").header("RateLimit-Limit")).isEqualTo("1000");
            // outside /api nothing is limited
            for (int i = 0; i < 5; i++) {
                assertThat(http.get("/health").header("RateLimit-Limit")).isNull();
            }
            Thread.sleep(1100);
            assertThat(http.post("/api/v1/products", Bodies.product("RL-4", 1)).status())
                    .isEqualTo(201);
        }
    }

    /** A GraphQL request counts as a read; each mutation in it also spends a write, as a REST write would. */
    @Test
    void graphQlMutationsSpendTheWriteBudget() throws Exception {
        try (ConfigurableApplicationContext ctx = instance(
                "gridserve.rate-limit.write-burst=2",
                "gridserve.rate-limit.writes-per-second=1",
                "gridserve.rate-limit.read-burst=1000")) {
            Http http = Apps.http(ctx);
            String mutation = "{\"query\":\"mutation { a: createProduct(input: {name: \\\"GraphQL Limit\\\","
                    + " description: \\\"d\\\", price: 1, category: \\\"C\\\", stock: 1, sku: \\\"RLG-1\\\"}) { _id }"
                    + " b: createProduct(input: {name: \\\"GraphQL Limit\\\", description: \\\"d\\\", price: 1,"
                    + " category: \\\"C\\\", stock: 1, sku: \\\"RLG-2\\\"}) { _id }"
                    + " c: createProduct(input: {name: \\\"GraphQL Limit\\\", description: \\\"d\\\", price: 1,"
                    + " category: \\\"C\\\", stock: 1, sku: \\\"RLG-3\\\"}) { _id } }\"}";
            Http.Response r = http.post("/graphql", mutation);
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            assertThat(r.header("RateLimit-Limit")).as("counted as a read").isEqualTo("1000");
            JsonNode body = r.json();
            assertThat(body.get("data").get("a").get("_id").isString())
                    .as(r.raw())
                    .isTrue();
            assertThat(body.get("data").get("b").get("_id").isString()).isTrue();
            assertThat(body.get("data").get("c").isNull())
                    .as("the third write is over the budget")
                    .isTrue();
            JsonNode error = body.get("errors").get(0);
            assertThat(error.get("path").get(0).stringValue()).isEqualTo("c");
            assertThat(error.get("extensions").get("status").asInt()).isEqualTo(429);
            assertThat(error.get("message").stringValue()).startsWith("Too many writes from this client");
            assertThat(http.get("/api/v1/products?search=graphql%20limit")
                            .json()
                            .get("total")
                            .asLong())
                    .isEqualTo(2);
        }
    }

    static int read(Http http, String forwardedFor) {
        return http.send(HttpRequest.newBuilder(http.uri("/api/v1/products?page_size=1"))
                        .header("X-Forwarded-For", forwardedFor))
                .status();
    }

    @Test
    void anonymousCallersCountByAddressAndOnlyTrustedProxiesNameIt() throws Exception {
        String burst = "gridserve.rate-limit.read-burst=3";
        String slow = "gridserve.rate-limit.reads-per-second=1";
        try (ConfigurableApplicationContext direct = instance(burst, slow);
                ConfigurableApplicationContext proxied =
                        instance(burst, slow, "gridserve.rate-limit.trusted-proxies=10.0.0.0/8, 127.0.0.1")) {
            // not from a trusted proxy: X-Forwarded-For is ignored, every request is 127.0.0.1's
            Http d = Apps.http(direct).anonymous();
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                statuses.add(read(d, "203.0.113." + i));
            }
            assertThat(statuses).containsExactly(200, 200, 200, 429, 429);

            // from a trusted proxy: each client address has its own budget
            Http p = Apps.http(proxied).anonymous();
            for (int i = 0; i < 5; i++) {
                assertThat(read(p, "203.0.113." + i)).isEqualTo(200);
            }
            // what a client wrote left of what the proxies appended is not believed
            statuses.clear();
            for (int i = 0; i < 5; i++) {
                statuses.add(read(p, "198.51.100." + i + ", 192.0.2.7, 10.1.2.3"));
            }
            assertThat(statuses).containsExactly(200, 200, 200, 429, 429);
            // a key's budget is the key's, wherever it comes from
            String key = Apps.http(proxied)
                    .post("/api/v1/admin/keys", "{\"name\":\"everywhere\",\"role\":\"reader\"}")
                    .json()
                    .get("key")
                    .stringValue();
            Thread.sleep(600);
            statuses.clear();
            for (int i = 0; i < 5; i++) {
                statuses.add(read(p.as(key), "203.0.113." + (50 + i)));
            }
            assertThat(statuses).containsExactly(200, 200, 200, 429, 429);
        }
    }

    @Test
    void reachingRedisLateGivesNoSecondBurst() throws Exception {
        try (TcpProxy redis = new TcpProxy(6379)) {
            redis.cut();
            try (ConfigurableApplicationContext ctx = instance(
                    "gridserve.cache.redis-url=redis://127.0.0.1:" + redis.port(),
                    "gridserve.cache.breaker-open-for=200ms",
                    "gridserve.rate-limit.read-burst=20",
                    "gridserve.rate-limit.reads-per-second=1")) {
                Http http = Apps.http(ctx).anonymous();
                for (int i = 0; i < 10; i++) {
                    assertThat(http.get("/api/v1/auth/me").status())
                            .as("spent locally")
                            .isEqualTo(200);
                }
                redis.restore();
                RateLimiter limiter = ctx.getBean(RateLimiter.class);
                for (int i = 0; i < 200 && !limiter.usingRedis(); i++) {
                    limiter.consume("ip:someone-else", RateLimiter.Budget.READ); // a request makes it reconnect
                    Thread.sleep(50);
                }
                assertThat(limiter.usingRedis()).isTrue();
                long t0 = System.nanoTime();
                List<Integer> after = new ArrayList<>();
                for (int i = 0; i < 25; i++) {
                    after.add(http.get("/api/v1/auth/me").status());
                }
                double seconds = (System.nanoTime() - t0) / 1e9 + 11; // refills since the first request, generously
                long admitted = after.stream().filter(s -> s == 200).count();
                System.out.printf("after reaching Redis: %d of 25 admitted (10 already spent locally)%n", admitted);
                // what was spent locally counts: about the rest of the burst, not a fresh one
                assertThat(admitted).isBetween(9L, 10L + (long) Math.ceil(seconds));
                assertThat(admitted).as("not a second burst of 20").isLessThan(20);
            }
        }
    }

    @Test
    void withRedisDownEachInstanceStillLimitsAndNeverFails() throws Exception {
        try (TcpProxy redis = new TcpProxy(6379);
                ConfigurableApplicationContext ctx = instance(
                        "gridserve.cache.redis-url=redis://127.0.0.1:" + redis.port(),
                        "gridserve.rate-limit.read-burst=20",
                        "gridserve.rate-limit.reads-per-second=1")) {
            Http http = Apps.http(ctx).anonymous();
            List<Integer> before = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                before.add(http.get("/api/v1/auth/me").status());
            }
            assertThat(before.stream().filter(s -> s == 200).count()).isBetween(20L, 21L);
            assertThat(before).containsOnly(200, 429);

            redis.cut();
            List<Integer> during = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < 60; i++) {
                during.add(http.get("/api/v1/auth/me").status());
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("redis down: %s in %.2f s%n", during, seconds);
            assertThat(during).as("never an error").allMatch(s -> s == 200 || s == 429);
            // the instance's own bucket takes over: at most one burst more gets through, plus what the bucket
            // refills (one a second) while the requests are made. It may have none left at first (what was spent
            // locally before Redis was reached counts), so how many get through is bounded above only
            assertThat(during.stream().filter(s -> s == 200).count())
                    .isLessThanOrEqualTo(20L + (long) Math.ceil(seconds) + 1);
            assertThat(during).as("still limited").contains(429);
            Thread.sleep(1100);
            assertThat(http.get("/api/v1/auth/me").status())
                    .as("the local bucket refills: limited, not shut")
                    .isEqualTo(200);
        }
    }
}
