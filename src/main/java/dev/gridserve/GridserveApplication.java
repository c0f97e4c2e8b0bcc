package dev.gridserve;

import dev.gridserve.api.ImportCommand;
import dev.gridserve.security.KeyCommand;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

// No users or passwords: callers are API keys and JWTs (see dev.gridserve.security).
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class GridserveApplication {
    public static void main(String[] args) {
        // `--create-api-key NAME --role R`, `--revoke-api-key NAME`, `--list-api-keys`: manage keys, then stop
        if (KeyCommand.handles(args)) {
            System.exit(KeyCommand.run(args, System.out, System.err));
        }
        // `--import FILE --table NAME`: load a file with a progress bar, then stop
        if (ImportCommand.handles(args)) {
            ConfigurableApplicationContext ctx =
                    SpringApplication.run(GridserveApplication.class, ImportCommand.applicationArgs(args));
            int code = ImportCommand.run(ctx, args, System.out);
            SpringApplication.exit(ctx);
            System.exit(code);
        }
        ConfigurableApplicationContext ctx = SpringApplication.run(GridserveApplication.class, args);
        // `--seed=N --exit`: load data and index it, then stop instead of serving.
        if (Arrays.asList(args).contains("--exit")) {
            System.exit(SpringApplication.exit(ctx));
        }
    }
}
