package dev.gridserve;

import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

// No users or passwords: every request is allowed until access control defines who may write.
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class GridserveApplication {
    public static void main(String[] args) {
        ConfigurableApplicationContext ctx = SpringApplication.run(GridserveApplication.class, args);
        // `--seed=N --exit`: load data and index it, then stop instead of serving.
        if (Arrays.asList(args).contains("--exit")) {
            System.exit(SpringApplication.exit(ctx));
        }
    }
}
