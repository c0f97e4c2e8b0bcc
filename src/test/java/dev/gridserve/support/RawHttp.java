package dev.gridserve.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Bytes sent as they are (no client library fixing them up), and the response read as it comes back. */
public final class RawHttp {
    /** Status code, headers (lower-case names, last value wins) and body (chunked bodies decoded). */
    public record Response(int status, Map<String, String> headers, String body) {}

    private RawHttp() {}

    public static Response send(int port, String request) {
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static Response send(int port, byte[] request) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // read what came
            }
            return parse(out.toString(StandardCharsets.ISO_8859_1)); // one char per byte: chunk sizes count bytes
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response parse(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        String head = end < 0 ? raw : raw.substring(0, end);
        String body = end < 0 ? "" : raw.substring(end + 4);
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(
                        lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            StringBuilder decoded = new StringBuilder();
            int at = 0;
            while (at < body.length()) {
                int eol = body.indexOf("\r\n", at);
                if (eol < 0) {
                    break;
                }
                int size = Integer.parseInt(body.substring(at, eol).strip(), 16);
                if (size == 0) {
                    break;
                }
                decoded.append(body, eol + 2, Math.min(body.length(), eol + 2 + size));
                at = eol + 2 + size + 2;
            }
            body = decoded.toString();
        }
        return new Response(
                status, headers, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }
}
