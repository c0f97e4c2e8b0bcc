package dev.gridserve.product;

import dev.gridserve.cache.ResponseCache;
import dev.gridserve.changes.ChangeFollower;
import dev.gridserve.changes.ChangeLog;
import dev.gridserve.changes.DatabaseMonitor;
import dev.gridserve.changes.VersionPublisher;
import dev.gridserve.search.TableIndex;
import dev.gridserve.search.TableSearcher;
import dev.gridserve.system.ApiException;
import dev.gridserve.tables.Answers;
import dev.gridserve.tables.ListRequest;
import dev.gridserve.tables.PageJson;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * Reads come from the index; writes commit the row and its change-log entry in one transaction, then wait
 * until this instance's index has applied the change, so a client that writes then lists sees its write.
 */
@Service
class ProductService {
    /** Products written here whose change the index had not applied when the write answered. */
    private static final int MAX_UNAPPLIED = 10_000;

    private final ProductRepository repository;
    private final DatabaseMonitor database;
    private final ChangeLog changes;
    private final ChangeFollower follower;
    private final VersionPublisher versions;
    private final TableIndex index;
    private final TableSearcher searcher;
    private final TransactionTemplate tx;
    private final Answers answers;
    private final JsonMapper mapper;
    private final Map<Long, Long> unapplied = new ConcurrentHashMap<>();

    ProductService(
            ProductRepository repository,
            DatabaseMonitor database,
            ChangeLog changes,
            ChangeFollower follower,
            VersionPublisher versions,
            TableIndex index,
            TableSearcher searcher,
            TransactionTemplate tx,
            Answers answers,
            JsonMapper mapper) {
        this.repository = repository;
        this.database = database;
        this.changes = changes;
        this.follower = follower;
        this.versions = versions;
        this.index = index;
        this.searcher = searcher;
        this.tx = tx;
        this.answers = answers;
        this.mapper = mapper;
    }

    /** Until the index has caught up (first start, rebuild) its answers would be wrong: say so instead. */
    void requireIndex() {
        if (!follower.ready()) {
            throw ApiException.unavailable("The search index is being built; retry shortly.", 5);
        }
    }

    ResponseCache.Entry list(ListRequest r) {
        requireIndex();
        try (TableIndex.Snapshot snap = index.acquire()) {
            return cached(
                    "list",
                    r.canonical(),
                    snap.version(),
                    () -> PageJson.write(
                            "products", timed(() -> searcher.list(snap.searcher(), r.query())), r.fields(), mapper));
        }
    }

    ResponseCache.Entry stats(ListRequest r) {
        requireIndex();
        try (TableIndex.Snapshot snap = index.acquire()) {
            return cached(
                    "stats",
                    r.canonical(),
                    snap.version(),
                    () -> mapper.writeValueAsString(timed(() ->
                            ProductStats.of(searcher.summarize(snap.searcher(), r.query(), ProductStats.SUMMARY)))));
        }
    }

    ResponseCache.Entry get(long id) {
        Long pending = unapplied.get(id);
        if (pending != null && versions.current().applied(pending)) {
            unapplied.remove(id, pending);
            pending = null;
        }
        // a write here that the index has not applied yet: never answer with what was cached before it
        String version = pending == null ? indexVersion() : null;
        boolean fromIndexAllowed = pending == null;
        return cached("get", Long.toString(id), version, () -> {
            if (database.reachable() && !follower.databaseUnreachable()) {
                try {
                    return repository.find(id).map(ProductJson::write).orElseThrow(() -> notFound(id));
                } catch (DataAccessResourceFailureException | TransientDataAccessException | TransactionException e) {
                    // fall through to the index
                }
            }
            if (!fromIndexAllowed) {
                throw ApiException.unavailable(
                        "Product " + id + " was just changed and the database is unavailable; retry shortly.", 5);
            }
            // the database is unreachable (known, or just found out): the index holds what this instance knew,
            // without waiting for a connection timeout on every request
            return searcher.byId(id).orElseThrow(() -> notFound(id));
        });
    }

    /** The data version the live index shows, or null when it cannot key a cached answer now. */
    private String indexVersion() {
        if (!follower.ready()) {
            return null;
        }
        try (TableIndex.Snapshot snap = index.acquire()) {
            return snap.version();
        }
    }

    private ResponseCache.Entry cached(String endpoint, String request, String version, Supplier<String> compute) {
        return answers.cached(
                endpoint, follower.databaseId() + "|i" + index.layout().fingerprint(), version, request, compute);
    }

    private <T> T timed(Supplier<T> work) {
        return answers.timed(work);
    }

    /** Waits for the change to be searchable here; remembers the product when it was not in time. */
    private void awaitApplied(long id, long seq) {
        if (!follower.awaitApplied(seq) && unapplied.size() < MAX_UNAPPLIED) {
            unapplied.merge(id, seq, Math::max);
        }
    }

    Product create(ProductDraft draft, String actor) {
        Product created = inTransaction(
                () -> {
                    rejectTakenSku(draft.sku(), 0);
                    long id = repository.nextId();
                    long seq = changes.nextSeq();
                    Product p = draft.create(id, now(), seq);
                    repository.insert(p);
                    changes.append(seq, id, ChangeLog.UPSERT, new ChangeLog.Audit("create", actor));
                    return p;
                },
                draft.sku());
        awaitApplied(created.id(), created.version());
        return created;
    }

    Product update(long id, ProductDraft draft, String actor) {
        Product updated = inTransaction(
                () -> {
                    Product current = repository.findForUpdate(id).orElseThrow(() -> notFound(id));
                    if (draft.sku() != null) {
                        rejectTakenSku(draft.sku(), id);
                    }
                    long seq = changes.nextSeq();
                    Product p = draft.applyTo(current, now(), seq);
                    repository.update(p);
                    changes.append(seq, id, ChangeLog.UPSERT, new ChangeLog.Audit("update", actor));
                    return p;
                },
                draft.sku());
        awaitApplied(id, updated.version());
        return updated;
    }

    void delete(long id, String actor) {
        long seq = inTransaction(
                () -> {
                    changes.markServiceWrite();
                    if (!repository.delete(id)) {
                        throw notFound(id);
                    }
                    long s = changes.nextSeq();
                    changes.append(s, id, ChangeLog.DELETE, new ChangeLog.Audit("delete", actor));
                    return s;
                },
                null);
        awaitApplied(id, seq);
    }

    /**
     * A product's newest changes from the change log (the audit trail), newest first; 404 when the product never
     * existed, as far as the log and the table know.
     */
    List<ChangeLog.HistoryEntry> history(long id, int limit) {
        return inTransaction(
                () -> {
                    List<ChangeLog.HistoryEntry> entries = changes.history(id, limit);
                    if (entries.isEmpty() && repository.find(id).isEmpty()) {
                        throw notFound(id);
                    }
                    return entries;
                },
                null);
    }

    /**
     * Checked before a change number is taken, so the usual conflict leaves no gap in the change log; the
     * unique constraint still decides races.
     */
    private void rejectTakenSku(String sku, long exceptId) {
        if (repository.skuTaken(sku, exceptId)) {
            throw duplicateSku(sku);
        }
    }

    private static ApiException duplicateSku(String sku) {
        return ApiException.conflict("A product with SKU '" + sku + "' already exists (SKUs are case-insensitive).");
    }

    /**
     * Runs a transaction (a write, or a read of the change log); an unreachable or stalled database (or a
     * statement over its time limit) is the client's 503 to retry, not a 500, and while the database is known
     * not to answer it is not even tried.
     */
    private <T> T inTransaction(Supplier<T> work, String sku) {
        if (!database.reachable()) {
            throw ApiException.unavailable("The database is unavailable; retry shortly.", 5);
        }
        try {
            return tx.execute(status -> work.get());
        } catch (DuplicateKeyException e) {
            throw duplicateSku(sku);
        } catch (DataAccessResourceFailureException | TransientDataAccessException | TransactionException e) {
            throw ApiException.unavailable("The database is unavailable or too slow; retry shortly.", 5);
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    static ApiException notFound(long id) {
        return ApiException.notFound("Product " + id + " was not found.");
    }
}
