package dev.gridserve.changes;

import dev.gridserve.system.Dialect;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The change log (outbox) beside the products table, written in the same transaction as each write. */
@Repository
public class ChangeLog {
    /** One logged write: U upsert, D delete, B bulk load (followers rebuild). */
    public record Change(long seq, long productId, char op) {}

    public static final char UPSERT = 'U';
    public static final char DELETE = 'D';
    public static final char BULK = 'B';

    /** PostgreSQL channel on which committed changes are announced, so followers wake before their poll. */
    static final String CHANNEL = "gridserve_changes";

    private final JdbcClient jdbc;
    private final Dialect dialect;

    ChangeLog(JdbcClient jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    public long nextSeq() {
        return jdbc.sql("SELECT nextval('change_seq')").query(Long.class).single();
    }

    public void append(long seq, long productId, char op) {
        jdbc.sql("INSERT INTO product_changes (seq, product_id, op, changed_at) VALUES (?, ?, ?, ?)")
                .params(seq, productId, String.valueOf(op), OffsetDateTime.now(ZoneOffset.UTC))
                .update();
        if (dialect == Dialect.POSTGRES) {
            // delivered only when (and if) the surrounding transaction commits
            jdbc.sql("SELECT pg_notify('" + CHANNEL + "', ?)")
                    .param(Long.toString(seq))
                    .query((rs, n) -> 1)
                    .list();
        }
    }

    List<Change> after(long seq, int limit) {
        return jdbc.sql("SELECT seq, product_id, op FROM product_changes WHERE seq > ? ORDER BY seq LIMIT ?")
                .params(seq, limit)
                .query((rs, n) ->
                        new Change(rs.getLong(1), rs.getLong(2), rs.getString(3).charAt(0)))
                .list();
    }

    List<Change> bySeq(Collection<Long> seqs) {
        if (seqs.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT seq, product_id, op FROM product_changes WHERE seq IN (:seqs) ORDER BY seq")
                .param("seqs", seqs)
                .query((rs, n) ->
                        new Change(rs.getLong(1), rs.getLong(2), rs.getString(3).charAt(0)))
                .list();
    }

    List<Long> seqsBetween(long lowExclusive, long highInclusive) {
        return jdbc.sql("SELECT seq FROM product_changes WHERE seq > ? AND seq <= ? ORDER BY seq")
                .params(lowExclusive, highInclusive)
                .query(Long.class)
                .list();
    }

    /** The oldest sequence still in the log (0 when empty): a follower behind it must rebuild. */
    long minSeq() {
        return jdbc.sql("SELECT COALESCE(MIN(seq), 0) FROM product_changes")
                .query(Long.class)
                .single();
    }

    /** Deletes entries older than {@code keepSince}, always keeping the newest one; returns how many. */
    int prune(java.time.Instant keepSince) {
        return jdbc.sql("DELETE FROM product_changes WHERE changed_at < ? AND seq < (SELECT MAX(seq) FROM"
                        + " product_changes)")
                .param(OffsetDateTime.ofInstant(keepSince, ZoneOffset.UTC))
                .update();
    }

    public long maxSeq() {
        return jdbc.sql("SELECT COALESCE(MAX(seq), 0) FROM product_changes")
                .query(Long.class)
                .single();
    }

    /** This database's identity, created on first use; an index built from another database is discarded. */
    public String databaseId() {
        List<String> ids = jdbc.sql("SELECT meta_value FROM gridserve_meta WHERE meta_key = 'database_id'")
                .query(String.class)
                .list();
        if (!ids.isEmpty()) {
            return ids.get(0);
        }
        try {
            jdbc.sql("INSERT INTO gridserve_meta (meta_key, meta_value) VALUES ('database_id', ?)")
                    .param(UUID.randomUUID().toString())
                    .update();
        } catch (DuplicateKeyException raced) {
            // another instance created it first; read theirs
        }
        return databaseId();
    }

    public void ping() {
        jdbc.sql("SELECT 1").query(Integer.class).single();
    }
}
