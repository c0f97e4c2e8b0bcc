package dev.gridserve.product;

import dev.gridserve.changes.ChangeFollower;
import dev.gridserve.changes.ChangeLog;
import dev.gridserve.search.ProductSearcher;
import dev.gridserve.system.ApiException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads come from the index; writes commit the row and its change-log entry in one transaction, then wait
 * until this instance's index has applied the change, so a client that writes then lists sees its write.
 */
@Service
class ProductService {
    private final ProductRepository repository;
    private final ChangeLog changes;
    private final ChangeFollower follower;
    private final ProductSearcher searcher;
    private final TransactionTemplate tx;

    ProductService(
            ProductRepository repository,
            ChangeLog changes,
            ChangeFollower follower,
            ProductSearcher searcher,
            TransactionTemplate tx) {
        this.repository = repository;
        this.changes = changes;
        this.follower = follower;
        this.searcher = searcher;
        this.tx = tx;
    }

    ProductPage list(ProductQuery q) {
        return searcher.list(q);
    }

    ProductStats stats(ProductQuery q) {
        return searcher.stats(q);
    }

    Product get(long id) {
        return writeGuard(() -> repository.find(id)).orElseThrow(() -> notFound(id));
    }

    Product create(ProductDraft draft) {
        Product created = write(
                () -> {
                    long id = repository.nextId();
                    long seq = changes.nextSeq();
                    Product p = draft.create(id, now(), seq);
                    repository.insert(p);
                    changes.append(seq, id, ChangeLog.UPSERT);
                    return p;
                },
                draft.sku());
        follower.awaitApplied(created.version());
        return created;
    }

    Product update(long id, ProductDraft draft) {
        Product updated = write(
                () -> {
                    Product current = repository.findForUpdate(id).orElseThrow(() -> notFound(id));
                    long seq = changes.nextSeq();
                    Product p = draft.applyTo(current, now(), seq);
                    repository.update(p);
                    changes.append(seq, id, ChangeLog.UPSERT);
                    return p;
                },
                draft.sku());
        follower.awaitApplied(updated.version());
        return updated;
    }

    void delete(long id) {
        long seq = write(
                () -> {
                    if (!repository.delete(id)) {
                        throw notFound(id);
                    }
                    long s = changes.nextSeq();
                    changes.append(s, id, ChangeLog.DELETE);
                    return s;
                },
                null);
        follower.awaitApplied(seq);
    }

    private <T> T write(java.util.function.Supplier<T> work, String sku) {
        try {
            return writeGuard(() -> tx.execute(status -> work.get()));
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict("A product with SKU '" + sku + "' already exists (SKUs are case-insensitive).");
        }
    }

    /** The database being unreachable is the client's 503 to retry, not a 500. */
    private static <T> T writeGuard(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (DataAccessResourceFailureException | TransactionException e) {
            throw ApiException.unavailable("The database is unavailable; retry shortly.", 5);
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    static ApiException notFound(long id) {
        return ApiException.notFound("Product " + id + " was not found.");
    }
}
