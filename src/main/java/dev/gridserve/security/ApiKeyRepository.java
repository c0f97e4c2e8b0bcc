package dev.gridserve.security;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** API keys in the database: only each secret's SHA-256 is stored. */
@Repository
class ApiKeyRepository {
    /** One stored key; {@code revokedAt} null while it works. */
    record StoredKey(
            String keyId,
            String name,
            Role role,
            String secretHash,
            Instant createdAt,
            Instant lastUsedAt,
            Instant revokedAt) {}

    private static final String COLUMNS = "key_id, name, role, secret_hash, created_at, last_used_at, revoked_at";
    private static final RowMapper<StoredKey> KEY = (rs, n) -> new StoredKey(
            rs.getString(1),
            rs.getString(2),
            Role.fromWire(rs.getString(3)).orElse(Role.READER),
            rs.getString(4),
            instant(rs.getObject(5, OffsetDateTime.class)),
            instant(rs.getObject(6, OffsetDateTime.class)),
            instant(rs.getObject(7, OffsetDateTime.class)));

    private final JdbcClient jdbc;

    ApiKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<StoredKey> all() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys ORDER BY name")
                .query(KEY)
                .list();
    }

    List<StoredKey> active() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys WHERE revoked_at IS NULL")
                .query(KEY)
                .list();
    }

    Optional<StoredKey> byName(String name) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys WHERE name = ?")
                .param(name)
                .query(KEY)
                .optional();
    }

    long count() {
        return jdbc.sql("SELECT COUNT(*) FROM api_keys").query(Long.class).single();
    }

    void insert(StoredKey k) {
        jdbc.sql("INSERT INTO api_keys (key_id, name, role, secret_hash, created_at) VALUES (?, ?, ?, ?, ?)")
                .params(k.keyId(), k.name(), k.role().wire(), k.secretHash(), utc(k.createdAt()))
                .update();
    }

    /** Revokes the key named {@code name}; false when there is none that still works. */
    boolean revoke(String name, Instant at) {
        return jdbc.sql("UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")
                        .params(utc(at), name)
                        .update()
                == 1;
    }

    void touch(Map<String, Instant> lastUsed) {
        lastUsed.forEach((keyId, at) -> jdbc.sql("UPDATE api_keys SET last_used_at = ? WHERE key_id = ?"
                        + " AND (last_used_at IS NULL OR last_used_at < ?)")
                .params(utc(at), keyId, utc(at))
                .update());
    }

    boolean exists(Collection<String> keyIds) {
        return !keyIds.isEmpty()
                && jdbc.sql("SELECT COUNT(*) FROM api_keys WHERE key_id IN (:ids)")
                                .param("ids", keyIds)
                                .query(Long.class)
                                .single()
                        > 0;
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
