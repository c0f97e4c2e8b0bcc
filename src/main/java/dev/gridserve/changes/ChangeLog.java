package dev.gridserve.changes;

import dev.gridserve.system.Dialect;
import dev.gridserve.system.LongWork;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The change log (outbox) beside one table, written in the same transaction as each write of it. */
public class ChangeLog {
    /**
     * One logged write: U upsert and D delete of {@code rowId}; R rows {@code rowId..rowIdTo}
     * loaded in bulk; E no row, only a new data version; B (older logs) a bulk load after which followers
     * rebuild.
     */
    public record Change(long seq, long rowId, long rowIdTo, char op) {}

    /**
     * What a change was ({@code create}, {@code update}, {@code delete}, {@code seed}) and who made it (an API
     * key's or token's name, {@code seed}, {@code system}); at most 200 characters of it are kept.
     */
    public record Audit(String action, String actor) {
        public Audit {
            actor = actor == null || actor.length() <= 200 ? actor : actor.substring(0, 200);
        }
    }

    /** One entry of a row's history, newest first; {@code action} and {@code actor} are null when unknown. */
    public record HistoryEntry(long seq, String action, String actor, java.time.Instant changedAt) {}

    public static final char UPSERT = 'U';
    public static final char DELETE = 'D';
    public static final char RANGE = 'R';
    public static final char EPOCH = 'E';
    public static final char BULK = 'B';

    /** PostgreSQL channel on which committed changes are announced, so followers wake before their poll. */
    static final String CHANNEL = "gridserve_changes";

    private final JdbcClient jdbc;
    private final Dialect dialect;
    private final RunningTransactions transactions;
    private final LongWork longWork;

    private final LogTables names;
    private final String columns;
    private final org.springframework.jdbc.core.JdbcTemplate batch;

    ChangeLog(
            LogTables names,
            JdbcClient jdbc,
            org.springframework.jdbc.core.JdbcTemplate batch,
            Dialect dialect,
            RunningTransactions transactions,
            LongWork longWork) {
        this.names = names;
        this.batch = batch;
        this.columns =
                "seq, " + names.idColumn() + ", COALESCE(" + names.idToColumn() + ", " + names.idColumn() + "), op";
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.transactions = transactions;
        this.longWork = longWork;
    }

    /** Set for the rest of a transaction that writes its own change-log entries (see V5__capture_sql_writes). */
    static final String SERVICE_WRITE = "gridserve.api_write";

    /**
     * Marks the current transaction as the service's own before it changes a row without a change-log number
     * yet (a delete that may find nothing): the capture trigger for direct SQL writes then leaves it alone.
     */
    public void markServiceWrite() {
        if (dialect == Dialect.POSTGRES) {
            jdbc.sql("SELECT set_config('" + SERVICE_WRITE + "', 'on', true)")
                    .query((rs, n) -> 1)
                    .list();
        }
    }

    /**
     * A change-log number for a write in the current transaction. On PostgreSQL the transaction takes its id
     * first, so that while the number is not yet visible its holder is among the running transactions (see
     * {@link GapTracker}); whoever writes change-log entries directly must do the same.
     */
    public long nextSeq() {
        long seq = switch (dialect) {
            // also marks the transaction as the service's own, so the capture trigger leaves its rows alone
            case POSTGRES ->
                jdbc.sql("SELECT nextval('" + names.seq() + "') FROM (SELECT set_config('" + SERVICE_WRITE
                                + "', 'on', true)) m"
                                + " WHERE pg_current_xact_id() IS NOT NULL")
                        .query(Long.class)
                        .single();
            case H2 ->
                jdbc.sql("SELECT NEXT VALUE FOR " + names.seq())
                        .query(Long.class)
                        .single();
        };
        transactions.holding(seq);
        return seq;
    }

    /**
     * {@code n} change-log numbers for writes in the current transaction, taken in one statement, as {@link
     * #nextSeq} takes one (the transaction id first, so a number not yet visible has its holder among the
     * running transactions).
     */
    public long[] nextSeqs(int n) {
        List<Long> seqs = switch (dialect) {
            case POSTGRES ->
                jdbc.sql("SELECT nextval('" + names.seq() + "') FROM generate_series(1, " + n + "),"
                                + " (SELECT set_config('" + SERVICE_WRITE + "', 'on', true)) m"
                                + " WHERE pg_current_xact_id() IS NOT NULL ORDER BY 1")
                        .query(Long.class)
                        .list();
            case H2 ->
                jdbc
                        .sql("SELECT NEXT VALUE FOR " + names.seq() + " FROM SYSTEM_RANGE(1, " + n + ")")
                        .query(Long.class)
                        .list()
                        .stream()
                        .sorted()
                        .toList();
        };
        long[] out = new long[seqs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = seqs.get(i);
            transactions.holding(out[i]);
        }
        return out;
    }

    /** Writes of many rows in the current transaction, {@code ops[i]} of {@code ids[i]} numbered {@code seqs[i]}. */
    public void appendAll(long[] seqs, long[] ids, char[] ops, Audit audit) {
        if (seqs.length == 0) {
            return;
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Object[]> rows = new java.util.ArrayList<>(seqs.length);
        for (int i = 0; i < seqs.length; i++) {
            rows.add(new Object[] {seqs[i], ids[i], String.valueOf(ops[i]), now, audit.action(), audit.actor()});
        }
        batch.batchUpdate(
                "INSERT INTO " + names.log() + " (seq, " + names.idColumn() + ", op, changed_at, action, actor)"
                        + " VALUES (?, ?, ?, ?, ?, ?)",
                rows);
        if (dialect == Dialect.POSTGRES) {
            jdbc.sql("SELECT pg_notify('" + CHANNEL + "', ?)")
                    .param(Long.toString(seqs[seqs.length - 1]))
                    .query((rs, n) -> 1)
                    .list();
        }
    }

    /** One write of {@code rowId} ({@link #UPSERT} or {@link #DELETE}) and who made it, for the audit trail. */
    public void append(long seq, long rowId, char op, Audit audit) {
        insert(seq, rowId, null, op, audit);
    }

    /** Rows with ids {@code from..to} were loaded in bulk in the current transaction. */
    public void appendRange(long seq, long from, long to, Audit audit) {
        insert(seq, from, to, RANGE, audit);
    }

    /** Moves every instance's data version (so cached answers are recomputed) without changing a row. */
    public void appendEpoch(long seq) {
        insert(seq, 0, null, EPOCH, new Audit("epoch", "system"));
    }

    private void insert(long seq, long rowId, Long rowIdTo, char op, Audit audit) {
        String insert = "INSERT INTO " + names.log() + " (seq, " + names.idColumn() + ", " + names.idToColumn()
                + ", op, changed_at, action, actor) VALUES (?, ?, ?, ?, ?, ?, ?)";
        Object[] values = {
            seq, rowId, rowIdTo, String.valueOf(op), OffsetDateTime.now(ZoneOffset.UTC), audit.action(), audit.actor()
        };
        if (dialect == Dialect.POSTGRES) {
            // the notification in the same statement: one round trip less for every write, which under load
            // waits its turn for the CPU like the rest; delivered only when (and if) the transaction commits
            jdbc.sql("WITH i AS (" + insert + " RETURNING seq) SELECT pg_notify('" + CHANNEL + "', seq::text) FROM i")
                    .params(values)
                    .query((rs, n) -> 1)
                    .list();
        } else {
            jdbc.sql(insert).params(values).update();
        }
    }

    private static final RowMapper<Change> CHANGE = (rs, n) -> new Change(
            rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4).charAt(0));

    List<Change> after(long seq, int limit) {
        return jdbc.sql("SELECT " + columns + " FROM " + names.log() + " WHERE seq > ? ORDER BY seq LIMIT ?")
                .params(seq, limit)
                .query(CHANGE)
                .list();
    }

    List<Change> bySeq(Collection<Long> seqs) {
        if (seqs.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT " + columns + " FROM " + names.log() + " WHERE seq IN (:seqs) ORDER BY seq")
                .param("seqs", seqs)
                .query(CHANGE)
                .list();
    }

    /**
     * The newest {@code limit} entries about one row (its own writes and the bulk loads that covered it),
     * newest first. Entries older than the change log's retention have been pruned.
     */
    public List<HistoryEntry> history(long rowId, int limit) {
        // one branch per op, each an ordered walk of the (op, id, seq) index
        String columns = "SELECT seq, action, actor, changed_at, op FROM " + names.log() + " WHERE ";
        String id = names.idColumn();
        String idTo = names.idToColumn();
        String newest = " ORDER BY seq DESC LIMIT :limit";
        return jdbc.sql("SELECT * FROM ("
                        + ("(" + columns + "op = 'U' AND " + id + " = :id" + newest + ")")
                        + (" UNION ALL (" + columns + "op = 'D' AND " + id + " = :id" + newest + ")")
                        + (" UNION ALL (" + columns + "op = 'R' AND " + id + " <= :id AND " + idTo + " >= :id" + newest
                                + ")")
                        + (" UNION ALL (" + columns + "op = 'B'" + newest + ")")
                        + ") h ORDER BY seq DESC LIMIT :limit")
                .param("id", rowId)
                .param("limit", limit)
                .query((rs, n) -> new HistoryEntry(
                        rs.getLong(1),
                        rs.getString(2) != null
                                ? rs.getString(2)
                                : legacyAction(rs.getString(5).charAt(0)),
                        rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant()))
                .list();
    }

    /** Entries written before the audit columns existed say only what the index needed to know. */
    private static String legacyAction(char op) {
        return switch (op) {
            case DELETE -> "delete";
            case UPSERT -> "write";
            default -> "load";
        };
    }

    /** The highest number pruning has deleted (0 when none): an index applied only below it must rebuild. */
    long prunedThrough() {
        return jdbc.sql("SELECT meta_value FROM gridserve_meta WHERE meta_key = ?")
                .param(names.prunedKey())
                .query(String.class)
                .optional()
                .map(Long::parseLong)
                .orElse(0L);
    }

    /**
     * Deletes every entry up to the newest one written before {@code keepSince}, always keeping the newest
     * entry of all, and records how far it deleted; returns how many.
     */
    int prune(java.time.Instant keepSince) {
        return longWork.run(() -> {
            long through = jdbc.sql("SELECT COALESCE(MAX(seq), 0) FROM " + names.log() + " WHERE changed_at < ?"
                            + " AND seq < (SELECT MAX(seq) FROM " + names.log() + ")")
                    .param(OffsetDateTime.ofInstant(keepSince, ZoneOffset.UTC))
                    .query(Long.class)
                    .single();
            if (through == 0) {
                return 0;
            }
            int n = jdbc.sql("DELETE FROM " + names.log() + " WHERE seq <= ?")
                    .param(through)
                    .update();
            int updated = jdbc.sql("UPDATE gridserve_meta SET meta_value = ? WHERE meta_key = ?"
                            + " AND CAST(meta_value AS BIGINT) < ?")
                    .params(Long.toString(through), names.prunedKey(), through)
                    .update();
            if (updated == 0 && prunedThrough() == 0) {
                try {
                    jdbc.sql("INSERT INTO gridserve_meta (meta_key, meta_value) VALUES (?, ?)")
                            .params(names.prunedKey(), Long.toString(through))
                            .update();
                } catch (DuplicateKeyException raced) {
                    // another instance recorded its pruning first; the next prune raises it if needed
                }
            }
            return n;
        });
    }

    /** When the oldest entry after {@code seq} was written, or null when there is none. */
    public java.time.Instant oldestAfter(long seq) {
        return jdbc.sql("SELECT changed_at FROM " + names.log() + " WHERE seq > ? ORDER BY seq LIMIT 1")
                .param(seq)
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant())
                .optional()
                .orElse(null);
    }

    public long maxSeq() {
        return jdbc.sql("SELECT COALESCE(MAX(seq), 0) FROM " + names.log())
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

    /**
     * Embedded H2: moves the id and change-log sequences past every number in use, before anything is written.
     * A crash can lose a sequence's own state while the rows that used its numbers survive; a number handed out
     * twice would give a new row the id a client already holds for another. (PostgreSQL logs sequences.)
     */
    public void restartSequencesPastUse() {
        if (dialect != Dialect.H2) {
            return;
        }
        raise(
                names.idSeq(),
                jdbc.sql("SELECT GREATEST((SELECT COALESCE(MAX(id), 0) FROM " + names.table() + "), (SELECT"
                                + " COALESCE(MAX(COALESCE(" + names.idToColumn() + ", " + names.idColumn()
                                + ")), 0) FROM " + names.log() + "))")
                        .query(Long.class)
                        .single());
        raise(names.seq(), maxSeq());
    }

    private void raise(String sequence, long used) {
        long next =
                jdbc.sql("SELECT NEXT VALUE FOR " + sequence).query(Long.class).single();
        if (next <= used) {
            jdbc.sql("ALTER SEQUENCE " + sequence + " RESTART WITH " + (used + 1))
                    .update();
        }
    }

    public void ping() {
        jdbc.sql("SELECT 1").query(Integer.class).single();
    }
}
