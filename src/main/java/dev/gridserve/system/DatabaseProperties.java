package dev.gridserve.system;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the system of record lives. {@code url} empty means the embedded H2 file database under the data
 * directory; otherwise a JDBC URL or a {@code postgres://user:pass@host:port/db} URL.
 */
@ConfigurationProperties("gridserve.database")
public record DatabaseProperties(String url, String user, String password, int poolSize) {
    public DatabaseProperties {
        url = url == null ? "" : url.trim();
        poolSize = poolSize <= 0 ? 16 : poolSize;
    }

    /** The JDBC URL to connect to, given the data directory for the embedded default. */
    public String jdbcUrl(Path dataDir) {
        if (url.isEmpty()) {
            // WRITE_DELAY=0: a commit is written to the file before it returns (H2's default delays it up to
            // 500 ms, so a crash lost writes that had been acknowledged)
            return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("db").resolve("gridserve")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
        }
        if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
            java.net.URI u = java.net.URI.create(url);
            int port = u.getPort() < 0 ? 5432 : u.getPort();
            return "jdbc:postgresql://" + u.getHost() + ":" + port + u.getPath()
                    + (u.getQuery() == null ? "" : "?" + u.getQuery());
        }
        return url;
    }

    /** User from the property, or from a {@code postgres://user:pass@} URL. */
    public String effectiveUser() {
        if (user != null && !user.isBlank()) {
            return user;
        }
        String info = userInfo();
        if (info != null) {
            return info.split(":", 2)[0];
        }
        return url.isEmpty() ? "sa" : null;
    }

    public String effectivePassword() {
        if (password != null && !password.isBlank()) {
            return password;
        }
        String info = userInfo();
        if (info != null && info.contains(":")) {
            return info.split(":", 2)[1];
        }
        return url.isEmpty() ? "" : null;
    }

    private String userInfo() {
        if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
            return java.net.URI.create(url).getUserInfo();
        }
        return null;
    }
}
