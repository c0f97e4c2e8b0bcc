package dev.gridserve.security;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** What a caller may do; each role includes the ones below it (admin > writer > reader). */
public enum Role {
    READER,
    WRITER,
    ADMIN;

    /** As written in keys, tokens, settings and JSON: "reader", "writer", "admin". */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The Spring Security authority naming this role (a token's "writer" role becomes ROLE_writer). */
    String authority() {
        return "ROLE_" + wire();
    }

    /** This role's authority and those of the roles it includes. */
    List<GrantedAuthority> authorities() {
        return Arrays.stream(values())
                .filter(r -> r.ordinal() <= ordinal())
                .map(r -> (GrantedAuthority) new SimpleGrantedAuthority(r.authority()))
                .toList();
    }

    boolean includes(Role other) {
        return ordinal() >= other.ordinal();
    }

    public static Optional<Role> fromWire(String s) {
        return Arrays.stream(values()).filter(r -> r.wire().equals(s)).findFirst();
    }

    /** The highest role among an authenticated caller's authorities, if it has any of ours. */
    static Optional<Role> of(Authentication auth) {
        Role best = null;
        for (GrantedAuthority a : auth.getAuthorities()) {
            for (Role r : values()) {
                if (r.authority().equals(a.getAuthority()) && (best == null || r.includes(best))) {
                    best = r;
                }
            }
        }
        return Optional.ofNullable(best);
    }
}
