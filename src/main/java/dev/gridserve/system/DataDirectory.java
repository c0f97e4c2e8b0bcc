package dev.gridserve.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The data directory (H2 files and the Lucene index), locked for this process for as long as it runs. A second
 * process started on the same directory stops at once with a message saying so, before it opens, repairs or
 * deletes anything in it. The lock is the operating system's, so a killed process never leaves it behind.
 */
@Component
public class DataDirectory implements DisposableBean {
    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    public DataDirectory(DataProperties data) {
        this.path = data.dir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(path);
            channel = FileChannel.open(
                    path.resolve("gridserve.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null; // held by another application context in this same JVM
            }
            if (l == null) {
                channel.close();
                throw new IllegalStateException(
                        "The data directory " + path + " is in use by another gridserve process."
                                + " Stop that process, or give this one its own DATA_DIR; nothing in the directory was changed.");
            }
            lock = l;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot use the data directory " + path + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void destroy() throws IOException {
        lock.release();
        channel.close();
    }
}
