package dev.gridserve.changes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Apps;
import dev.gridserve.support.Bodies;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** Pruning keeps the newest change; an instance whose index is older than what was pruned rebuilds. */
class RetentionTest {
    @Test
    void anIndexBehindThePrunedLogIsRebuilt() throws Exception {
        PostgresSchema pg = new PostgresSchema();
        Path behindDir = Files.createTempDirectory("gridserve-behind-");
        try {
            // instance "behind" indexes one product, then stops
            try (ConfigurableApplicationContext behind = Apps.start(Apps.over(pg, behindDir))) {
                Apps.http(behind).post("/api/v1/products", Bodies.product("RET-1", 1));
            }
            // another instance keeps writing; then the log is pruned past "behind"'s position
            try (ConfigurableApplicationContext other = Apps.start(Apps.over(pg, pg.dataDir))) {
                Http http = Apps.http(other);
                for (int i = 2; i <= 6; i++) {
                    http.post("/api/v1/products", Bodies.product("RET-" + i, i));
                }
                ChangeLog log = other.getBean(ChangeLog.class);
                long newest = log.maxSeq();
                assertThat(log.prune(Instant.now().plusSeconds(60))).isPositive();
                assertThat(log.prunedThrough())
                        .as("the newest entry survives pruning")
                        .isEqualTo(newest - 1);
                assertThat(log.maxSeq()).isEqualTo(newest);
            }
            try (ConfigurableApplicationContext behind = Apps.start(Apps.over(pg, behindDir))) {
                assertThat(behind.getBean(ChangeFollower.class).rebuilds()).isEqualTo(1);
                assertThat(Apps.http(behind)
                                .get("/api/v1/products?search=ret-")
                                .json()
                                .get("total")
                                .asLong())
                        .isEqualTo(6);
            }
        } finally {
            pg.drop();
        }
    }
}
