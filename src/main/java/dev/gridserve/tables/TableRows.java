package dev.gridserve.tables;

import dev.gridserve.schema.TableSchema;
import dev.gridserve.search.Row;
import dev.gridserve.search.RowSource;
import dev.gridserve.storage.StoredRow;
import dev.gridserve.storage.TableStore;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** A schema-defined table's rows as its index reads them: from its store, each with its wire JSON. */
public final class TableRows implements RowSource {
    /** One stored row as the index takes it. */
    public record TableRow(TableSchema schema, StoredRow stored) implements Row {
        @Override
        public long id() {
            return stored.id();
        }

        @Override
        public long version() {
            return stored.version();
        }

        @Override
        public String json() {
            return RowJson.write(schema, stored);
        }

        @Override
        public Object value(String field) {
            return stored.value(field);
        }
    }

    private final TableStore store;
    private final TableSchema schema;

    TableRows(TableStore store) {
        this.store = store;
        this.schema = store.schema();
    }

    public TableRow row(StoredRow r) {
        return new TableRow(schema, r);
    }

    @Override
    public List<TableRow> findAll(Collection<Long> ids) {
        return store.findAll(ids).stream().map(this::row).toList();
    }

    @Override
    public void forEach(Consumer<? super Row> sink) {
        store.forEach(null, null, r -> sink.accept(row(r)));
    }

    @Override
    public void forEachInRange(long from, long to, Consumer<? super Row> sink) {
        store.forEach(from, to, r -> sink.accept(row(r)));
    }

    @Override
    public Checksum checksum() {
        TableStore.Checksum c = store.checksum();
        return new Checksum(c.maxSeq(), c.count(), c.idSum(), c.versionSum());
    }

    @Override
    public long maxId() {
        return store.maxId();
    }

    @Override
    public Map<Long, List<Long>> rangeChecksums(long width) {
        return store.rangeChecksums(width);
    }

    @Override
    public Map<Long, Long> versions(long from, long to) {
        return store.versions(from, to);
    }
}
