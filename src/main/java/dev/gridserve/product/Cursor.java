package dev.gridserve.product;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Keyset position after the last row of a page: the sort value and id of that row, the sort it belongs to
 * and the number of the page it leads to. {@code value} is a long for numeric sorts, a float's bits for
 * relevance and the folded name (as UTF-8) for the name sort. A multi-column sort adds the row's value of each
 * further key in {@code then}; a one-key cursor is written as it always was, so cursors already handed out stay
 * valid.
 */
public record Cursor(
        SortKey sortBy, boolean descending, int page, long numeric, byte[] text, long id, List<Then> then) {

    /** The last row's value of one further sort key. */
    public record Then(SortKey key, boolean descending, long numeric, byte[] text) {}

    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();

    public Cursor {
        then = List.copyOf(then);
    }

    public Cursor(SortKey sortBy, boolean descending, int page, long numeric, byte[] text, long id) {
        this(sortBy, descending, page, numeric, text, id, List.of());
    }

    /** The sort this cursor belongs to, every key. */
    public List<SortSpec> sort() {
        List<SortSpec> out = new ArrayList<>();
        out.add(new SortSpec(sortBy, descending));
        then.forEach(t -> out.add(new SortSpec(t.key(), t.descending())));
        return out;
    }

    public String encode() {
        String t = text == null ? "" : ENC.encodeToString(text);
        String raw = (then.isEmpty() ? "1|" : "2|") + sortBy.wire() + "|" + (descending ? "d" : "a") + "|" + page + "|"
                + numeric + "|" + t + "|" + id;
        if (!then.isEmpty()) {
            StringBuilder sb = new StringBuilder(raw).append('|');
            for (int i = 0; i < then.size(); i++) {
                Then x = then.get(i);
                sb.append(i == 0 ? "" : ",")
                        .append(x.key().wire())
                        .append(':')
                        .append(x.descending() ? 'd' : 'a')
                        .append(':')
                        .append(x.numeric())
                        .append(':')
                        .append(x.text() == null ? "" : ENC.encodeToString(x.text()));
            }
            raw = sb.toString();
        }
        return ENC.encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses a cursor or throws {@link IllegalArgumentException} when it is not one of ours. */
    public static Cursor decode(String s) {
        try {
            String raw = new String(DEC.decode(s), StandardCharsets.UTF_8);
            String[] p = raw.split("\\|", -1);
            boolean multi = p.length == 8 && p[0].equals("2");
            if (!(p.length == 7 && p[0].equals("1")) && !multi) {
                throw new IllegalArgumentException("bad cursor");
            }
            SortKey key = key(p[1]);
            boolean desc = direction(p[2]);
            int page = Integer.parseInt(p[3]);
            if (page < 2) {
                throw new IllegalArgumentException("bad cursor");
            }
            byte[] text = key == SortKey.NAME ? DEC.decode(p[5]) : null;
            List<Then> then = new ArrayList<>();
            if (multi) {
                String[] entries = p[7].split(",", -1);
                if (entries.length >= ProductQuery.MAX_SORT_KEYS) {
                    throw new IllegalArgumentException("bad cursor");
                }
                for (String e : entries) {
                    String[] f = e.split(":", -1);
                    if (f.length != 4) {
                        throw new IllegalArgumentException("bad cursor");
                    }
                    SortKey k = key(f[0]);
                    if (k == SortKey.RELEVANCE) {
                        throw new IllegalArgumentException("bad cursor");
                    }
                    then.add(new Then(
                            k, direction(f[1]), Long.parseLong(f[2]), k == SortKey.NAME ? DEC.decode(f[3]) : null));
                }
            }
            return new Cursor(key, desc, page, Long.parseLong(p[4]), text, Long.parseLong(p[6]), then);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad cursor", e);
        }
    }

    private static SortKey key(String wire) {
        return SortKey.fromWire(wire).orElseThrow(() -> new IllegalArgumentException("bad cursor"));
    }

    private static boolean direction(String s) {
        if (!s.equals("a") && !s.equals("d")) {
            throw new IllegalArgumentException("bad cursor");
        }
        return s.equals("d");
    }
}
