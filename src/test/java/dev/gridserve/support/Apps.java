package dev.gridserve.support;

import dev.gridserve.GridserveApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Whole application instances started by a test, on random ports, configured by command-line properties. */
public final class Apps {
    private Apps() {}

    /**
     * Starts an instance with {@code props} ("name=value"), over defaults for tests: random ports, the test admin
     * key, and no rate limits (tests that are about rate limits turn them on).
     */
    public static ConfigurableApplicationContext start(String... props) {
        return start(ctx -> {}, props);
    }

    /** {@link #start(String...)}, with beans the test registers ({@code extra}) before the context refreshes. */
    public static ConfigurableApplicationContext start(
            org.springframework.context.ApplicationContextInitializer<
                            org.springframework.context.support.GenericApplicationContext>
                    extra,
            String... props) {
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>();
        all.put("server.port", "0");
        all.put("management.server.port", "0");
        all.put("gridserve.security.admin-key", TestKeys.ADMIN);
        all.put("gridserve.rate-limit.enabled", "false");
        for (String kv : props) {
            int eq = kv.indexOf('=');
            all.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        String[] args = all.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(GridserveApplication.class)
                .initializers(extra)
                .run(args);
    }

    public static Http http(ConfigurableApplicationContext ctx) {
        return new Http(((WebServerApplicationContext) ctx).getWebServer().getPort());
    }

    /** Properties of an instance over {@code pg}'s schema with its own data directory; {@code more} override. */
    public static String[] over(PostgresSchema pg, java.nio.file.Path dataDir, String... more) {
        java.util.Map<String, String> props = new java.util.LinkedHashMap<>();
        props.put("gridserve.database.url", pg.jdbcUrl());
        props.put("gridserve.database.user", "postgres");
        props.put("spring.flyway.schemas", pg.schema);
        return withData(props, dataDir, more);
    }

    /** Properties of an instance on the embedded default (H2 in {@code dataDir}); {@code more} override. */
    public static String[] embedded(java.nio.file.Path dataDir, String... more) {
        java.util.Map<String, String> props = new java.util.LinkedHashMap<>();
        props.put("gridserve.database.url", "");
        return withData(props, dataDir, more);
    }

    /** The data directory, no seed, the index ready before start-up ends; then {@code more} on top. */
    private static String[] withData(java.util.Map<String, String> props, java.nio.file.Path dataDir, String... more) {
        props.put("gridserve.data.dir", dataDir.toString());
        props.put("gridserve.data.seed-on-empty", "0");
        props.put("gridserve.data.await-index-on-start", "true");
        for (String kv : more) {
            int eq = kv.indexOf('=');
            props.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return props.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
    }
}
