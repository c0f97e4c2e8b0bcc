package dev.gridserve.system;

import static dev.gridserve.system.Settings.positive;

import com.zaxxer.hikari.HikariConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the system of record lives and how long it may take. {@code url} empty means the embedded H2 file
 * database under the data directory; otherwise a JDBC URL or a {@code postgres://user:pass@host:port/db} URL.
 * On PostgreSQL: {@code connectTimeout} to open a connection, {@code statementTimeout} for one statement (the
 * server cancels it; bulk work lifts it for itself), and {@code probeInterval} between checks that the
 * database answers, so an unreachable one is noticed within about a second.
 */
@ConfigurationProperties("gridserve.database")
public record DatabaseProperties(
        String url,
        String user,
        String password,
        int poolSize,
        Duration connectTimeout,
        Duration statementTimeout,
        Duration probeInterval) {
    public DatabaseProperties {
        url = url == null ? "" : url.trim();
        poolSize = (int) Settings.within(poolSize, 16, 1, 1000, "DATABASE_POOL_SIZE", "gridserve.database.pool-size");
        connectTimeout = positive(
                connectTimeout,
                Duration.ofSeconds(2),
                "DATABASE_CONNECT_TIMEOUT",
                "gridserve.database.connect-timeout");
        statementTimeout = positive(
                statementTimeout,
                Duration.ofSeconds(5),
                "DATABASE_STATEMENT_TIMEOUT",
                "gridserve.database.statement-timeout");
        probeInterval = positive(
                probeInterval, Duration.ofMillis(500), "DATABASE_PROBE_INTERVAL", "gridserve.database.probe-interval");
    }

    /** The socket timeout: a statement the server has not answered by then is given up by the client. */
    public Duration socketTimeout() {
        return statementTimeout.plusSeconds(2);
    }

    /** A connection pool's settings, with every timeout set, so a stalled database never holds a thread long. */
    public HikariConfig pool(Path dataDir, String name, int size) {
        String jdbc = jdbcUrl(dataDir);
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(jdbc);
        c.setUsername(effectiveUser());
        c.setPassword(effectivePassword());
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(Math.min(4, size)); // many instances share one database: idle connections are released
        c.setPoolName(name);
        if (jdbc.startsWith("jdbc:postgresql:")) {
            // strings: the driver reads these with Properties.getProperty, which ignores anything else
            c.addDataSourceProperty("connectTimeout", Long.toString(Math.max(1, connectTimeout.toSeconds())));
            c.addDataSourceProperty(
                    "socketTimeout", Long.toString(Math.max(1, socketTimeout().toSeconds())));
            c.addDataSourceProperty("options", "-c statement_timeout=" + statementTimeout.toMillis());
            // a cancel is sent on a new connection, which a stalled network holds up as long as this
            c.addDataSourceProperty("cancelSignalTimeout", Long.toString(Math.max(1, connectTimeout.toSeconds())));
        }
        return c;
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
            URI u = URI.create(url);
            int port = u.getPort() < 0 ? 5432 : u.getPort();
            return "jdbc:postgresql://" + u.getHost() + ":" + port + u.getPath()
                    + (u.getQuery() == null ? "" : "?" + u.getQuery());
        }
        return url;
    }

    public boolean embedded() {
        return url.isEmpty() || url.startsWith("jdbc:h2:");
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
            return URI.create(url).getUserInfo();
        }
        return null;
    }
}
