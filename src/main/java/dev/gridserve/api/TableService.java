package dev.gridserve.api;

import dev.gridserve.cache.ResponseCache;
import dev.gridserve.changes.ChangeFollower;
import dev.gridserve.changes.ChangeLog;
import dev.gridserve.changes.DatabaseMonitor;
import dev.gridserve.changes.TableFollowing;
import dev.gridserve.schema.FieldDef;
import dev.gridserve.search.TableIndex;
import dev.gridserve.storage.StoredRow;
import dev.gridserve.system.ApiException;
import dev.gridserve.system.ServerTiming;
import dev.gridserve.tables.Answers;
import dev.gridserve.tables.ListRequest;
import dev.gridserve.tables.PageJson;
import dev.gridserve.tables.SummaryShape;
import dev.gridserve.tables.Table;
import dev.gridserve.tables.Tables;
import dev.gridserve.tables.Warmer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes of a table served from its schema. Reads come from its index; writes commit the row and its
 * change-log entry in one transaction, then wait until this instance's index has applied the change, so a client
 * that writes then lists sees its write.
 */
@Service
class TableService {
    /** Rows written here whose change the index had not applied when the write answered. */
    private static final int MAX_UNAPPLIED = 10_000;

    private final DatabaseMonitor database;
    private final TransactionTemplate tx;
    private final Answers answers;
    private final JsonMapper mapper;
    private final Map<String, Long> unapplied = new ConcurrentHashMap<>();
    private final StaleReads staleReads;

    TableService(
            DatabaseMonitor database,
            TransactionTemplate tx,
            Answers answers,
            JsonMapper mapper,
            StaleReads staleReads,
            Warmer warmer,
            Tables tables) {
        warmer.replayWith((table, endpoint, params) -> replay(tables, table, endpoint, params));
        this.staleReads = staleReads;
        this.database = database;
        this.tx = tx;
        this.answers = answers;
        this.mapper = mapper;
    }

    /** Until the index has caught up (first start, rebuild) its answers would be wrong: say so instead. */
    static void requireIndex(Table t) {
        if (!t.following().follower().ready()) {
            throw ApiException.unavailable("The search index of " + t.name() + " is being built; retry shortly.", 5);
        }
    }

    ResponseCache.Entry list(Table t, ListRequest r) {
        return list(t, r, staleReads.allowed());
    }

    private ResponseCache.Entry list(Table t, ListRequest r, boolean acceptStale) {
        requireIndex(t);
        TableFollowing f = t.following();
        try (TableIndex.Snapshot snap = f.index().acquire()) {
            Answers.Read read = new Answers.Read(
                    t.name(), LIST, scope(t), snap.version(), r.canonical(), acceptStale, () -> list(t, r, false), r);
            return answers.cached(
                    read,
                    () -> PageJson.write(
                            t.name(),
                            answers.timed(() -> f.searcher().list(snap.searcher(), r.query())),
                            r.fields(),
                            mapper));
        }
    }

    /** {@code fields}: the generic shape, also for a table whose own summary is shaped otherwise. */
    ResponseCache.Entry stats(Table t, ListRequest r, boolean fields) {
        return stats(t, r, fields, staleReads.allowed());
    }

    private ResponseCache.Entry stats(Table t, ListRequest r, boolean fields, boolean acceptStale) {
        requireIndex(t);
        TableFollowing f = t.following();
        SummaryShape shape = fields ? t.fieldsSummary() : t.summary();
        try (TableIndex.Snapshot snap = f.index().acquire()) {
            Answers.Read read = new Answers.Read(
                    t.name(),
                    fields ? STATS_FIELDS : STATS,
                    scope(t),
                    snap.version(),
                    r.canonical(),
                    acceptStale,
                    () -> stats(t, r, fields, false),
                    r);
            return answers.cached(
                    read,
                    () -> mapper.writeValueAsString(shape.write(
                            answers.timed(() -> f.searcher().summarize(snap.searcher(), r.query(), shape.summary())))));
        }
    }

    private static final String LIST = "list";
    private static final String STATS = "stats";
    private static final String STATS_FIELDS = "stats-fields";

    /** A list or stats read saved by an earlier run, asked again exactly (never stale); null if it cannot be. */
    private Supplier<ResponseCache.Entry> replay(
            Tables tables, String table, String endpoint, Map<String, List<String>> params) {
        Table t = tables.table(table).orElse(null);
        if (t == null) {
            return null;
        }
        Map<String, String[]> raw = new LinkedHashMap<>();
        params.forEach((k, v) -> raw.put(k, v.toArray(String[]::new)));
        ListRequest r = t.parser().parse(raw);
        return switch (endpoint) {
            case LIST -> () -> list(t, r, false);
            case STATS -> () -> stats(t, r, false, false);
            case STATS_FIELDS -> () -> stats(t, r, true, false);
            default -> null;
        };
    }

    ResponseCache.Entry get(Table t, long id) {
        ChangeFollower follower = t.following().follower();
        String key = t.name() + "|" + id;
        Long pending = unapplied.get(key);
        if (pending != null && t.following().versions().current().applied(pending)) {
            unapplied.remove(key, pending);
            pending = null;
        }
        // a write here that the index has not applied yet: never answer with what was cached before it
        String version = pending == null && follower.ready() ? indexVersion(t) : null;
        boolean fromIndexAllowed = pending == null;
        Answers.Read read =
                new Answers.Read(t.name(), "get", scope(t), version, Long.toString(id), false, () -> get(t, id), null);
        return answers.cached(read, () -> {
            if (database.reachable() && !follower.databaseUnreachable()) {
                try {
                    return t.store().find(id).map(r -> t.rows().row(r).json()).orElseThrow(() -> notFound(t, id));
                } catch (DataAccessResourceFailureException | TransientDataAccessException | TransactionException e) {
                    // fall through to the index
                }
            }
            if (!fromIndexAllowed) {
                throw ApiException.unavailable(
                        t.schema().row(id) + " was just changed and the database is unavailable; retry shortly.", 5);
            }
            return t.following().searcher().byId(id).orElseThrow(() -> notFound(t, id));
        });
    }

    private static String indexVersion(Table t) {
        try (TableIndex.Snapshot snap = t.following().index().acquire()) {
            return snap.version();
        }
    }

    private static String scope(Table t) {
        return t.following().follower().databaseId() + "|" + t.name() + "|i"
                + t.following().index().layout().fingerprint();
    }

    String create(Table t, RowDraft draft, String actor) {
        ChangeLog log = t.following().log();
        StoredRow created = inTransaction(t, () -> {
            rejectTaken(t, draft, 0);
            long id = t.store().nextId();
            long seq = log.nextSeq();
            StoredRow r = draft.create(t.schema(), id, now(), seq);
            t.store().insert(r);
            log.append(seq, id, ChangeLog.UPSERT, new ChangeLog.Audit("create", actor));
            return r;
        });
        staleReads.wrote(actor);
        awaitApplied(t, created.id(), created.version());
        return t.rows().row(created).json();
    }

    String update(Table t, long id, RowDraft draft, String actor) {
        ChangeLog log = t.following().log();
        StoredRow updated = inTransaction(t, () -> {
            StoredRow current = t.store().findForUpdate(id).orElseThrow(() -> notFound(t, id));
            rejectTaken(t, draft, id);
            long seq = log.nextSeq();
            StoredRow r = draft.applyTo(t.schema(), current, now(), seq);
            t.store().update(r);
            log.append(seq, id, ChangeLog.UPSERT, new ChangeLog.Audit("update", actor));
            return r;
        });
        staleReads.wrote(actor);
        awaitApplied(t, id, updated.version());
        return t.rows().row(updated).json();
    }

    void delete(Table t, long id, String actor) {
        ChangeLog log = t.following().log();
        long seq = inTransaction(t, () -> {
            log.markServiceWrite();
            if (!t.store().delete(id)) {
                throw notFound(t, id);
            }
            long s = log.nextSeq();
            log.append(s, id, ChangeLog.DELETE, new ChangeLog.Audit("delete", actor));
            return s;
        });
        staleReads.wrote(actor);
        awaitApplied(t, id, seq);
    }

    /** A row's newest changes from its change log, newest first; 404 when it never existed as far as both know. */
    List<ChangeLog.HistoryEntry> history(Table t, long id, int limit) {
        return inTransaction(t, () -> {
            List<ChangeLog.HistoryEntry> entries = t.following().log().history(id, limit);
            if (entries.isEmpty() && t.store().find(id).isEmpty()) {
                throw notFound(t, id);
            }
            return entries;
        });
    }

    /**
     * Checked before a change number is taken, so the usual conflict leaves no gap in the change log; the unique
     * constraint still decides races.
     */
    private static void rejectTaken(Table t, RowDraft draft, long exceptId) {
        for (FieldDef f : t.schema().fields()) {
            Object v = draft.values().get(f.name());
            if (f.unique() && v != null && t.store().taken(f, v.toString(), exceptId)) {
                throw duplicate(t, f, v.toString());
            }
        }
    }

    private static ApiException duplicate(Table t, FieldDef f, String value) {
        return ApiException.conflict(t.schema().aRow() + " with " + f.name() + " '" + value + "' already exists ("
                + f.name() + " is unique, regardless of case).");
    }

    private void awaitApplied(Table t, long id, long seq) {
        long t0 = System.nanoTime();
        if (!t.following().follower().awaitApplied(seq) && unapplied.size() < MAX_UNAPPLIED) {
            unapplied.merge(t.name() + "|" + id, seq, Math::max);
        }
        ServerTiming.record("visible", System.nanoTime() - t0);
    }

    /**
     * Runs a transaction; an unreachable or stalled database is the client's 503 to retry, not a 500, and while
     * the database is known not to answer it is not even tried. A race on a unique field is a 409.
     */
    private <T> T inTransaction(Table t, Supplier<T> work) {
        if (!database.reachable()) {
            throw ApiException.unavailable("The database is unavailable; retry shortly.", 5);
        }
        long t0 = System.nanoTime();
        try {
            return tx.execute(status -> work.get());
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict(t.schema().aRow()
                    + " with the same value in a unique field was written at the same time; nothing was changed.");
        } catch (DataAccessResourceFailureException | TransientDataAccessException | TransactionException e) {
            throw ApiException.unavailable("The database is unavailable or too slow; retry shortly.", 5);
        } finally {
            ServerTiming.record("db", System.nanoTime() - t0);
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    static ApiException notFound(Table t, long id) {
        return ApiException.notFound(t.schema().row(id) + " was not found.");
    }
}
