package dev.gridserve.system;

/**
 * Text from a request made safe for one log line: control characters (CR and LF above all, which would let a
 * client forge log lines) and Unicode line separators are escaped, and length is capped.
 */
public final class LogText {
    static final int MAX = 300;

    private LogText() {}

    public static String safe(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX) + 16);
        for (int i = 0; i < s.length() && out.length() < MAX; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029 || (c >= 0x80 && c < 0xa0)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (out.length() >= MAX && s.length() > MAX) {
            out.append("...");
        }
        return out.toString();
    }
}
