package dev.gridserve.system;

import com.github.luben.zstd.Zstd;
import org.slf4j.LoggerFactory;

/**
 * Whether zstd's native library loads here: zstd-jni unpacks it into the temporary directory, which a
 * locked-down host may not allow. Without it responses are compressed with gzip and index rows are stored
 * uncompressed.
 */
public final class NativeZstd {
    private NativeZstd() {}

    public static boolean available() {
        return Library.AVAILABLE;
    }

    private static final class Library {
        static final boolean AVAILABLE = load();

        private static boolean load() {
            try {
                Zstd.compressBound(1);
                return true;
            } catch (LinkageError e) {
                LoggerFactory.getLogger(NativeZstd.class)
                        .warn(
                                "zstd is unavailable ({}): responses use gzip, index rows are stored uncompressed",
                                e.toString());
                return false;
            }
        }
    }
}
