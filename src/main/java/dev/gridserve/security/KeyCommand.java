package dev.gridserve.security;

import com.zaxxer.hikari.HikariDataSource;
import dev.gridserve.system.DataDirectory;
import dev.gridserve.system.DataProperties;
import dev.gridserve.system.DatabaseProperties;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DuplicateKeyException;

/**
 * Key management from the command line, against the configured database, without starting the service:
 * {@code --create-api-key NAME --role ROLE} prints the new key once; {@code --revoke-api-key NAME} revokes one;
 * {@code --list-api-keys} lists them. With the embedded database the service must be stopped first (it holds
 * the files); with PostgreSQL it may keep running, and a revocation reaches it within a second.
 */
public final class KeyCommand {
    static final String CREATE = "--create-api-key";
    static final String REVOKE = "--revoke-api-key";
    static final String LIST = "--list-api-keys";
    static final String ROLE = "--role";

    private KeyCommand() {}

    /** Whether {@code args} ask for a key command rather than the service. */
    public static boolean handles(String[] args) {
        return Arrays.stream(args).anyMatch(a -> a.equals(LIST) || isOption(a, CREATE) || isOption(a, REVOKE));
    }

    /** Runs the command; the process exit code (0 done, 1 refused or failed, 2 bad arguments). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Optional<String> create = value(args, CREATE);
        Optional<String> revoke = value(args, REVOKE);
        Optional<String> role = value(args, ROLE);
        boolean list = Arrays.asList(args).contains(LIST);
        if ((create.isPresent() ? 1 : 0) + (revoke.isPresent() ? 1 : 0) + (list ? 1 : 0) != 1) {
            err.println("Give one of: " + CREATE + " NAME " + ROLE + " reader|writer|admin, " + REVOKE + " NAME, "
                    + LIST + ".");
            return 2;
        }
        if (create.isPresent() && !ApiKeyController.NAME.matcher(create.get()).matches()) {
            err.println("A key name is 1 to 100 letters, digits, '.', '_' or '-'; got '" + create.get() + "'.");
            return 2;
        }
        Optional<Role> r = role.flatMap(Role::fromWire);
        if (create.isPresent() && r.isEmpty()) {
            err.println(CREATE + " needs " + ROLE + " reader, writer or admin.");
            return 2;
        }
        try (ConfigurableApplicationContext ctx = context(args)) {
            ApiKeys keys = ctx.getBean(ApiKeys.class);
            if (create.isPresent()) {
                ApiKeys.Created c = keys.create(create.get(), r.get());
                out.println("Created API key '" + c.name() + "' with the "
                        + c.role().wire() + " role. It is shown only now; keep it secret:");
                out.println(c.key());
            } else if (revoke.isPresent()) {
                if (!keys.revoke(revoke.get())) {
                    err.println("No working API key is named '" + revoke.get() + "'.");
                    return 1;
                }
                out.println("Revoked API key '" + revoke.get() + "'; it stops working everywhere within a second.");
            } else {
                for (ApiKeys.Listed k : keys.list()) {
                    out.println(k.name() + "\t" + k.role().wire() + "\tcreated " + k.createdAt() + "\tlast used "
                            + (k.lastUsedAt() == null ? "never" : k.lastUsedAt())
                            + (k.revokedAt() == null ? "" : "\trevoked " + k.revokedAt()));
                }
            }
            return 0;
        } catch (DuplicateKeyException e) {
            err.println("An API key named '" + create.orElse("") + "' already exists (revoked keys keep their names).");
            return 1;
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            err.println("The key command failed: " + root.getMessage());
            return 1;
        }
    }

    private static ConfigurableApplicationContext context(String[] args) {
        String[] rest = Arrays.stream(args)
                .filter(a -> a.startsWith("--")
                        && a.contains("=")
                        && !isOption(a, CREATE)
                        && !isOption(a, REVOKE)
                        && !isOption(a, ROLE))
                .toArray(String[]::new);
        return new SpringApplicationBuilder(Context.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .properties(Map.of(
                        "spring.main.banner-mode",
                        "off",
                        "logging.level.root",
                        "WARN",
                        // the service's health groups name contributors this context does not have
                        "management.endpoint.health.validate-group-membership",
                        "false"))
                .run(rest);
    }

    private static boolean isOption(String arg, String name) {
        return arg.equals(name) || arg.startsWith(name + "=");
    }

    /** {@code --name value} or {@code --name=value}. */
    public static Optional<String> value(String[] args, String name) {
        List<String> a = Arrays.asList(args);
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).startsWith(name + "=")) {
                return Optional.of(a.get(i).substring(name.length() + 1));
            }
            if (a.get(i).equals(name) && i + 1 < a.size() && !a.get(i + 1).startsWith("--")) {
                return Optional.of(a.get(i + 1));
            }
        }
        return Optional.empty();
    }

    /**
     * Just the database (migrated by Flyway) and the keys: no index, no web server, no change follower. Not a
     * {@code @Configuration}, so that the service's component scan passes it by.
     */
    @EnableAutoConfiguration(exclude = UserDetailsServiceAutoConfiguration.class)
    @EnableConfigurationProperties({DatabaseProperties.class, DataProperties.class, SecurityProperties.class})
    @Import({ApiKeyRepository.class, ApiKeys.class})
    static class Context {
        /** The embedded database's files belong to one process: its data directory is locked first. */
        @Bean
        @ConditionalOnExpression("'${gridserve.database.url:}'.isBlank()")
        DataDirectory dataDirectory(DataProperties data) {
            return new DataDirectory(data);
        }

        @Bean
        DataSource dataSource(DatabaseProperties db, DataProperties data, ObjectProvider<DataDirectory> locked)
                throws IOException {
            DataDirectory dir = locked.getIfAvailable();
            if (dir != null) {
                Files.createDirectories(dir.path().resolve("db"));
            }
            return new HikariDataSource(db.pool(dir != null ? dir.path() : data.dir(), "gridserve-keys", 2));
        }
    }
}
