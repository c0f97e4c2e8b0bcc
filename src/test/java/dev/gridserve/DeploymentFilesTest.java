package dev.gridserve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every documented way of starting the jar passes the flags Lucene needs (the vector module, native access):
 * without them its vectorised code and native I/O advice are silently off in exactly the deployments that
 * matter. KillTest checks that a server started with them says the vector API is on.
 */
class DeploymentFilesTest {
    static final String FLAGS = "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED";

    @Test
    void theDockerfileStartsTheJarWithLucenesFlags() throws Exception {
        String entry = Files.readAllLines(Path.of("Dockerfile")).stream()
                .filter(l -> l.startsWith("ENTRYPOINT"))
                .findFirst()
                .orElseThrow();
        assertThat(entry.replace("\", \"", " ")).contains(FLAGS).contains("-jar");
    }

    @Test
    void everyJarStartInTheReadmeCarriesTheFlags() throws Exception {
        List<String> starts = Files.readAllLines(Path.of("README.md")).stream()
                .filter(l -> l.contains("java ")
                        && l.contains("-jar")
                        && !l.contains("--create-api-key")
                        && !l.contains("--revoke-api-key")
                        && !l.contains("--list-api-keys"))
                .toList();
        assertThat(starts).isNotEmpty().allSatisfy(l -> assertThat(l).contains(FLAGS));
    }
}
