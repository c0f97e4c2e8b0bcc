package dev.gridserve.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Apps;
import dev.gridserve.support.Bodies;
import dev.gridserve.support.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** The two-command start on the embedded database: a first admin key, once; and the command line beside it. */
@ExtendWith(OutputCaptureExtension.class)
class FirstAdminKeyTest {
    /** The embedded default with no configured admin key, so that the first start creates one. */
    static String[] embedded(Path dir, String... more) {
        return Apps.embedded(dir, RevocationTest.concat(new String[] {"gridserve.security.admin-key="}, more));
    }

    @Test
    void theFirstStartCreatesOneAdminKeyForItsOwnerOnly(CapturedOutput output) throws Exception {
        Path dir = Files.createTempDirectory("gridserve-first-");
        Path file = dir.resolve("admin-api-key");
        String key;
        try (ConfigurableApplicationContext ctx = Apps.start(embedded(dir))) {
            assertThat(file).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
            key = Files.readString(file).strip();
            assertThat(key).startsWith("gs_");
            assertThat(output.getOut()).containsOnlyOnce(key);
            Http admin = Apps.http(ctx).as(key);
            assertThat(admin.get("/api/v1/auth/me").json().get("role").stringValue())
                    .isEqualTo("admin");
            assertThat(admin.post("/api/v1/admin/keys", "{\"name\":\"app\",\"role\":\"writer\"}")
                            .status())
                    .isEqualTo(201);
            assertThat(admin.anonymous()
                            .post("/api/v1/products", Bodies.product("FA-1", 1))
                            .status())
                    .isEqualTo(401);
        }
        long mark = output.getOut().length();
        try (ConfigurableApplicationContext ctx = Apps.start(embedded(dir))) {
            assertThat(Files.readString(file).strip()).isEqualTo(key); // not made again
            assertThat(output.getOut().substring((int) mark)).doesNotContain("gs_");
            assertThat(Apps.http(ctx).as(key).get("/api/v1/admin/keys").json().get("keys"))
                    .hasSize(2);
        }
    }

    @Test
    void noKeyIsMadeWhenAnAdminKeyIsConfigured() throws Exception {
        Path dir = Files.createTempDirectory("gridserve-configured-");
        try (ConfigurableApplicationContext ctx =
                Apps.start(embedded(dir, "gridserve.security.admin-key=" + "c".repeat(40)))) {
            assertThat(dir.resolve("admin-api-key")).doesNotExist();
            assertThat(Apps.http(ctx)
                            .as("c".repeat(40))
                            .get("/api/v1/admin/keys")
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void theCommandLineWaitsForTheEmbeddedServiceToStop() throws Exception {
        Path dir = Files.createTempDirectory("gridserve-cli-h2-");
        String[] dataDir = {"--gridserve.data.dir=" + dir, "--gridserve.database.url="};
        try (ConfigurableApplicationContext ctx = Apps.start(embedded(dir))) {
            RevocationTest.Run busy =
                    RevocationTest.run(RevocationTest.concat(dataDir, "--create-api-key", "ops", "--role", "admin"));
            assertThat(busy.code()).isEqualTo(1);
            assertThat(busy.err()).contains("in use by another gridserve process");
        }
        RevocationTest.Run made =
                RevocationTest.run(RevocationTest.concat(dataDir, "--create-api-key", "ops", "--role", "admin"));
        assertThat(made.code()).as(made.err()).isZero();
        String key = made.out().lines().reduce((x, y) -> y).orElseThrow();
        try (ConfigurableApplicationContext ctx = Apps.start(embedded(dir))) {
            assertThat(Apps.http(ctx).as(key).get("/api/v1/admin/keys").status())
                    .isEqualTo(200);
        }
    }
}
