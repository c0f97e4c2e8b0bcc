package dev.gridserve.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Apps;
import dev.gridserve.support.Bodies;
import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** Keys made or revoked anywhere (an instance, the command line) take effect on every instance. */
class RevocationTest {

    /** Polls {@code http}'s answer to a write until {@code done}; returns how long it took in milliseconds. */
    static long until(Http http, IntPredicate done) throws InterruptedException {
        long t0 = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            int status = http.get("/api/v1/auth/me").status();
            if (done.test(status)) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("not within 10 s");
    }

    @Test
    void aKeyRevokedOnOneInstanceStopsWorkingOnTheOther() throws Exception {
        PostgresSchema pg = new PostgresSchema();
        try (ConfigurableApplicationContext a = Apps.start(Apps.over(pg, pg.dataDir));
                ConfigurableApplicationContext b =
                        Apps.start(Apps.over(pg, Files.createTempDirectory("gridserve-b-")))) {
            String key = Apps.http(a)
                    .post("/api/v1/admin/keys", "{\"name\":\"roaming\",\"role\":\"writer\"}")
                    .json()
                    .get("key")
                    .stringValue();
            Http onB = Apps.http(b).as(key);
            long appeared = until(onB, s -> s == 200);
            assertThat(onB.post("/api/v1/products", Bodies.product("RV-1", 1)).status())
                    .isEqualTo(201);

            assertThat(Apps.http(a).delete("/api/v1/admin/keys/roaming").status())
                    .isEqualTo(204);
            long gone = until(onB, s -> s == 401);
            assertThat(onB.post("/api/v1/products", Bodies.product("RV-2", 1)).status())
                    .isEqualTo(401);
            System.out.printf(
                    "revocation: key usable on B after %d ms, refused on B %d ms after revocation%n", appeared, gone);
        } finally {
            pg.drop();
        }
    }

    @Test
    void theCommandLineManagesKeysOfARunningPostgresDeployment() throws Exception {
        PostgresSchema pg = new PostgresSchema();
        String[] db = {
            "--gridserve.database.url=" + pg.jdbcUrl(),
            "--gridserve.database.user=postgres",
            "--spring.flyway.schemas=" + pg.schema
        };
        try (ConfigurableApplicationContext a = Apps.start(Apps.over(pg, pg.dataDir))) {
            Run created = run(concat(db, "--create-api-key", "ci-bot", "--role", "writer"));
            assertThat(created.code()).as(created.err()).isZero();
            String key = created.out().lines().reduce((x, y) -> y).orElseThrow();
            assertThat(key).startsWith("gs_");
            Http bot = Apps.http(a).as(key);
            until(bot, s -> s == 200);
            assertThat(bot.post("/api/v1/products", Bodies.product("CLI-1", 1)).status())
                    .isEqualTo(201);

            Run dup = run(concat(db, "--create-api-key=ci-bot", "--role=reader"));
            assertThat(dup.code()).isEqualTo(1);
            assertThat(dup.err()).contains("already exists");
            Run listed = run(concat(db, "--list-api-keys"));
            assertThat(listed.out()).contains("ci-bot\twriter").doesNotContain(key.substring(12));

            Run revoked = run(concat(db, "--revoke-api-key", "ci-bot"));
            assertThat(revoked.code()).as(revoked.err()).isZero();
            until(bot, s -> s == 401);
            assertThat(run(concat(db, "--revoke-api-key", "ci-bot")).code()).isEqualTo(1);

            assertThat(run(concat(db, "--create-api-key", "x")).code()).isEqualTo(2); // no role
            assertThat(run(concat(db, "--create-api-key", "bad name", "--role", "writer"))
                            .code())
                    .isEqualTo(2);
            Run unreachable = run(new String[] {
                "--gridserve.database.url=jdbc:postgresql://127.0.0.1:1/none",
                "--gridserve.database.connect-timeout=1s",
                "--list-api-keys"
            });
            assertThat(unreachable.code()).isEqualTo(1);
            assertThat(unreachable.err()).startsWith("The key command failed:");
        } finally {
            pg.drop();
        }
    }

    record Run(int code, String out, String err) {}

    static Run run(String[] args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = KeyCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
