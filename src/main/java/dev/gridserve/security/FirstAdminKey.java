package dev.gridserve.security;

import dev.gridserve.system.DataDirectory;
import dev.gridserve.system.Dialect;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * So that the two-command start can write: the first time the embedded database starts without any API key
 * (and no ADMIN_API_KEY is configured), an admin key is created, shown once in the log and written to
 * {@code DATA_DIR/admin-api-key}, readable only by the user running the service. A PostgreSQL deployment gets
 * its first key from ADMIN_API_KEY or {@code --create-api-key}.
 */
@Component
class FirstAdminKey implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(FirstAdminKey.class);
    static final String FILE = "admin-api-key";
    static final String NAME = "admin";

    private final ApiKeys keys;
    private final Dialect dialect;
    private final SecurityProperties props;
    private final DataDirectory data;

    FirstAdminKey(ApiKeys keys, Dialect dialect, SecurityProperties props, DataDirectory data) {
        this.keys = keys;
        this.dialect = dialect;
        this.props = props;
        this.data = data;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        if (dialect != Dialect.H2 || props.adminKey() != null || keys.any()) {
            return;
        }
        ApiKeys.Created created = keys.create(NAME, Role.ADMIN);
        Path file = data.path().resolve(FILE);
        write(file, created.key() + "\n");
        log.warn(
                "No API key existed, so an admin key named '{}' was created. It is shown only here and in {} (readable"
                        + " only by this user): {} -- use it to create keys for applications (POST /api/v1/admin/keys"
                        + " or --create-api-key NAME --role writer), and revoke it if it leaks.",
                NAME,
                file,
                created.key());
    }

    /** Written beside its final place with owner-only permissions from the start, then moved over it. */
    static void write(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
