package dev.gridserve.search;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Keyset position after the last row of a page: that row's value of each sort key and its id, and the number of
 * the page it leads to. A key's value is a long for numeric sorts (the field's held encoding), a float's bits for
 * relevance, and the folded text (as UTF-8) for a text sort. A one-key cursor is written as cursors always were
 * ({@code 1|field|dir|page|number|text|id}), so cursors already handed out stay valid; more keys add a part.
 */
public record Cursor(List<Key> keys, int page, long id) {

    /** The last row's value of one sort key. */
    public record Key(String field, boolean descending, long numeric, byte[] text) {
        public Key {
            text = text == null ? new byte[0] : text;
        }
    }

    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();

    public Cursor {
        keys = List.copyOf(keys);
        if (keys.isEmpty() || keys.size() > TableQuery.MAX_SORT_KEYS || page < 2) {
            throw new IllegalArgumentException("bad cursor");
        }
    }

    /** The sort this cursor belongs to, every key. */
    public List<Order> sort() {
        return keys.stream().map(k -> new Order(k.field(), k.descending())).toList();
    }

    public String encode() {
        Key first = keys.getFirst();
        StringBuilder sb = new StringBuilder(keys.size() == 1 ? "1|" : "2|")
                .append(first.field())
                .append('|')
                .append(first.descending() ? 'd' : 'a')
                .append('|')
                .append(page)
                .append('|')
                .append(first.numeric())
                .append('|')
                .append(ENC.encodeToString(first.text()))
                .append('|')
                .append(id);
        for (int i = 1; i < keys.size(); i++) {
            Key x = keys.get(i);
            sb.append(i == 1 ? '|' : ',')
                    .append(x.field())
                    .append(':')
                    .append(x.descending() ? 'd' : 'a')
                    .append(':')
                    .append(x.numeric())
                    .append(':')
                    .append(ENC.encodeToString(x.text()));
        }
        return ENC.encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses a cursor or throws {@link IllegalArgumentException} when it is not one of ours. Whether its fields
     * exist and sort as it says is the caller's check (it must equal the request's sort).
     */
    public static Cursor decode(String s) {
        try {
            String raw = new String(DEC.decode(s), StandardCharsets.UTF_8);
            String[] p = raw.split("\\|", -1);
            boolean multi = p.length == 8 && p[0].equals("2");
            if (!(p.length == 7 && p[0].equals("1")) && !multi) {
                throw new IllegalArgumentException("bad cursor");
            }
            List<Key> keys = new ArrayList<>();
            keys.add(new Key(field(p[1]), direction(p[2]), Long.parseLong(p[4]), DEC.decode(p[5])));
            if (multi) {
                for (String e : p[7].split(",", -1)) {
                    String[] f = e.split(":", -1);
                    if (f.length != 4 || f[0].equals(IndexLayout.RELEVANCE)) {
                        throw new IllegalArgumentException("bad cursor");
                    }
                    keys.add(new Key(field(f[0]), direction(f[1]), Long.parseLong(f[2]), DEC.decode(f[3])));
                }
            }
            return new Cursor(keys, Integer.parseInt(p[3]), Long.parseLong(p[6]));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad cursor", e);
        }
    }

    private static String field(String s) {
        if (!s.matches("[a-z][a-z0-9_]{0,39}")) {
            throw new IllegalArgumentException("bad cursor");
        }
        return s;
    }

    private static boolean direction(String s) {
        if (!s.equals("a") && !s.equals("d")) {
            throw new IllegalArgumentException("bad cursor");
        }
        return s.equals("d");
    }
}
