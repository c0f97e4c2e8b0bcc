package dev.gridserve.support;

import dev.gridserve.GridserveApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Whole application instances started by a test, on random ports, configured by command-line properties. */
public final class Apps {
    private Apps() {}

    public static ConfigurableApplicationContext start(String... props) {
        String[] args = new String[props.length + 1];
        args[0] = "--server.port=0";
        for (int i = 0; i < props.length; i++) {
            args[i + 1] = "--" + props[i];
        }
        return new SpringApplicationBuilder(GridserveApplication.class).run(args);
    }

    public static Http http(ConfigurableApplicationContext ctx) {
        return new Http(((WebServerApplicationContext) ctx).getWebServer().getPort());
    }

    /** Properties of an instance over {@code pg}'s schema with its own data directory. */
    public static String[] over(PostgresSchema pg, java.nio.file.Path dataDir, String... more) {
        String[] base = {
            "gridserve.database.url=" + pg.jdbcUrl(),
            "gridserve.database.user=postgres",
            "spring.flyway.schemas=" + pg.schema,
            "gridserve.data.dir=" + dataDir,
            "gridserve.data.seed-on-empty=0"
        };
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
