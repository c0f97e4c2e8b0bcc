package dev.gridserve.api;

import dev.gridserve.system.ApiException;
import java.util.regex.Pattern;

/** Row ids in paths, for every table. */
public final class Ids {
    /** Ids are written one way only: ASCII digits, no sign, no leading zero (so 1, not +1, 01 or ١). */
    private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,18}");

    private Ids() {}

    /** The id {@code raw} names, or a 400 saying how ids are written; {@code what} names the row ("product"). */
    public static long parse(String raw, String what) {
        if (ID.matcher(raw).matches()) {
            try {
                return Long.parseLong(raw);
            } catch (NumberFormatException e) {
                // over the largest id: falls through
            }
        }
        String shown = raw.length() > 40 ? raw.substring(0, 40) + "..." : raw;
        throw ApiException.badRequest("'" + shown + "' is not a valid " + what
                + " id; ids are written with the digits 0-9 only, without a sign or leading zeros, such as 42.");
    }
}
