package dev.gridserve.product;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Keyset position after the last row of a page: the sort value and id of that row, the sort it belongs to
 * and the number of the page it leads to. {@code value} is a long for numeric sorts, a float's bits for
 * relevance and the folded name (as UTF-8) for the name sort.
 */
public record Cursor(SortKey sortBy, boolean descending, int page, long numeric, byte[] text, long id) {

    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();

    public String encode() {
        String t = text == null ? "" : ENC.encodeToString(text);
        String raw =
                "1|" + sortBy.wire() + "|" + (descending ? "d" : "a") + "|" + page + "|" + numeric + "|" + t + "|" + id;
        return ENC.encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses a cursor or throws {@link IllegalArgumentException} when it is not one of ours. */
    public static Cursor decode(String s) {
        try {
            String raw = new String(DEC.decode(s), StandardCharsets.UTF_8);
            String[] p = raw.split("\\|", -1);
            if (p.length != 7 || !p[0].equals("1")) {
                throw new IllegalArgumentException("bad cursor");
            }
            SortKey key = SortKey.fromWire(p[1]).orElseThrow(() -> new IllegalArgumentException("bad cursor"));
            if (!p[2].equals("a") && !p[2].equals("d")) {
                throw new IllegalArgumentException("bad cursor");
            }
            int page = Integer.parseInt(p[3]);
            if (page < 2) {
                throw new IllegalArgumentException("bad cursor");
            }
            byte[] text = key == SortKey.NAME ? DEC.decode(p[5]) : null;
            return new Cursor(key, p[2].equals("d"), page, Long.parseLong(p[4]), text, Long.parseLong(p[6]));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad cursor", e);
        }
    }
}
