package dev.gridserve.system;

import java.time.Duration;

/**
 * Checks of configuration values, run when a settings record is bound at start-up: a bad value stops the
 * start with a message naming the environment variable and the property, instead of misbehaving later.
 */
public final class Settings {
    private Settings() {}

    /** {@code value}, or {@code dflt} when unset; it must be longer than zero. */
    public static Duration positive(Duration value, Duration dflt, String env, String property) {
        Duration d = value == null ? dflt : value;
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(env + " (" + property + ") must be a duration longer than zero, such as "
                    + text(dflt) + "; got " + text(d));
        }
        return d;
    }

    /** {@code value}, or {@code dflt} when unset (0); it must lie in {@code min..max}. */
    public static long within(long value, long dflt, long min, long max, String env, String property) {
        long v = value == 0 ? dflt : value;
        if (v < min || v > max) {
            throw new IllegalArgumentException(
                    env + " (" + property + ") must be between " + min + " and " + max + "; got " + v);
        }
        return v;
    }

    private static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
