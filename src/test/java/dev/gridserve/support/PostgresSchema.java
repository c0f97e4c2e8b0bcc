package dev.gridserve.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A fresh schema in the real PostgreSQL on 127.0.0.1:5432 (database {@code test}) and a fresh data directory
 * per test class, so classes never see each other's rows or index. No fallback: if PostgreSQL is not there,
 * the test fails rather than skips.
 */
public final class PostgresSchema {
    public static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    public final String schema =
            "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    public final Path dataDir;

    public PostgresSchema() {
        try {
            dataDir = Files.createTempDirectory("gridserve-it-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public String jdbcUrl() {
        return URL + "?currentSchema=" + schema;
    }

    public void register(DynamicPropertyRegistry r) {
        r.add("gridserve.database.url", this::jdbcUrl);
        r.add("gridserve.database.user", () -> "postgres");
        r.add("spring.flyway.schemas", () -> schema);
        r.add("gridserve.data.dir", dataDir::toString);
        r.add("gridserve.data.seed-on-empty", () -> "0");
        r.add("gridserve.data.await-index-on-start", () -> "true");
        r.add("management.server.port", () -> "0");
        r.add("gridserve.security.admin-key", () -> TestKeys.ADMIN);
        r.add("gridserve.rate-limit.enabled", () -> "false");
    }

    public void drop() {
        try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
