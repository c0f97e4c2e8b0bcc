package dev.gridserve;

import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

@SpringBootApplication
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
