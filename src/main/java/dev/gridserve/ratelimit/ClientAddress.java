package dev.gridserve.ratelimit;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * The address a request comes from. X-Forwarded-For is believed only when the peer is a trusted proxy, and
 * then read from the right: each trusted proxy appends the address it saw, so the first entry from the right
 * that is not itself a trusted proxy is the client; whatever a client wrote further left is ignored.
 */
final class ClientAddress {
    private final List<IpAddressMatcher> trusted;

    ClientAddress(List<String> trustedProxies) {
        this.trusted = trustedProxies.stream().map(ClientAddress::matcher).toList();
    }

    private static IpAddressMatcher matcher(String proxy) {
        try {
            return new IpAddressMatcher(proxy);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TRUSTED_PROXIES (gridserve.rate-limit.trusted-proxies) must list IP"
                    + " addresses or CIDR ranges such as 10.0.0.0/8; '" + proxy + "' is neither");
        }
    }

    String of(HttpServletRequest req) {
        String peer = req.getRemoteAddr();
        if (trusted.isEmpty() || !isTrusted(peer)) {
            return peer;
        }
        String forwarded = req.getHeader("X-Forwarded-For");
        if (forwarded == null || forwarded.length() > 2048) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (!isAddress(hop)) {
                return peer; // a proxy wrote something that is not an address: trust none of it
            }
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return peer;
    }

    private boolean isTrusted(String address) {
        for (IpAddressMatcher m : trusted) {
            try {
                if (m.matches(address)) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return false;
    }

    /** An IPv4 or IPv6 literal (checked by shape only, so no name is ever looked up). */
    private static boolean isAddress(String s) {
        if (s.isEmpty() || s.length() > 45) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok =
                    (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
