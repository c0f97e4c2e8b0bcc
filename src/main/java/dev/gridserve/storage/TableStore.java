package dev.gridserve.storage;

import dev.gridserve.schema.FieldDef;
import dev.gridserve.schema.FieldType;
import dev.gridserve.schema.TableSchema;
import dev.gridserve.system.LongWork;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The rows of one schema-defined table in the system of record, with the columns {@link TableLayout} gives it.
 * The same SQL runs on PostgreSQL and on H2 in PostgreSQL mode. Table and column names come from a validated
 * schema, never from a request.
 */
public final class TableStore {
    private final TableSchema schema;
    private final String table;
    private final String log;
    private final List<TableLayout.Wanted> columns;
    private final String columnList;
    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final LongWork longWork;
    private final RowMapper<StoredRow> mapper = (rs, n) -> map(rs);

    /** {@code changeLog}: the table's change-log table, whose newest number a checksum is taken at. */
    public TableStore(TableSchema schema, String changeLog, JdbcClient jdbc, DataSource dataSource, LongWork longWork) {
        this.schema = schema;
        this.table = schema.name();
        this.log = changeLog;
        this.columns = TableLayout.of(schema);
        this.columnList = columns.stream().map(w -> w.column().name()).collect(Collectors.joining(", "));
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.longWork = longWork;
    }

    public TableSchema schema() {
        return schema;
    }

    public Optional<StoredRow> find(long id) {
        return jdbc.sql("SELECT " + columnList + " FROM " + table + " WHERE id = ?")
                .param(id)
                .query(mapper)
                .optional();
    }

    /** Locks the row for the rest of the transaction, so concurrent updates of one row serialize. */
    public Optional<StoredRow> findForUpdate(long id) {
        return jdbc.sql("SELECT " + columnList + " FROM " + table + " WHERE id = ? FOR UPDATE")
                .param(id)
                .query(mapper)
                .optional();
    }

    public List<StoredRow> findAll(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT " + columnList + " FROM " + table + " WHERE id IN (:ids)")
                .param("ids", ids)
                .query(mapper)
                .list();
    }

    /** {@code n} new ids from the table's sequence, in one statement, ascending. */
    public List<Long> nextIds(int n, dev.gridserve.system.Dialect dialect) {
        return jdbc.sql(dialect.nextValues(idSequence(), n)).query(Long.class).list().stream()
                .sorted()
                .toList();
    }

    private String idSequence() {
        return table.equals("products") ? "product_id_seq" : table + "_id_seq";
    }

    /** The rows holding these lower-cased values in a unique field, by value. */
    public Map<String, StoredRow> findByKeys(FieldDef unique, Collection<String> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        Map<String, StoredRow> out = new HashMap<>();
        // one array parameter, not one per key: a statement the database plans once, whatever the batch size
        jdbc.sql("SELECT " + columnList + " FROM " + table + " WHERE " + unique.uniqueKeyColumn() + " = ANY(?)")
                .param(keys.toArray(String[]::new))
                .query(mapper)
                .list()
                .forEach(r -> out.put(r.value(unique.name()).toString().toLowerCase(Locale.ROOT), r));
        return out;
    }

    /** Which row holds each of these lower-cased values in a unique field: its id and the value as written. */
    public record Holder(long id, String value) {}

    public Map<String, Holder> holders(FieldDef unique, Collection<String> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        Map<String, Holder> out = new HashMap<>();
        jdbc.sql("SELECT id, " + unique.name() + ", " + unique.uniqueKeyColumn() + " FROM " + table + " WHERE "
                        + unique.uniqueKeyColumn() + " = ANY(?)")
                .param(keys.toArray(String[]::new))
                .query(rs -> {
                    out.put(rs.getString(3), new Holder(rs.getLong(1), rs.getString(2)));
                });
        return out;
    }

    /** Updates rows in one batch, on the caller's connection (a bulk load in its transaction). */
    public void updateBatch(Connection c, List<StoredRow> rows) throws SQLException {
        List<String> sets = new ArrayList<>();
        for (int i = 1; i < columns.size(); i++) {
            sets.add(columns.get(i).column().name() + " = ?");
        }
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE " + table + " SET " + String.join(", ", sets) + " WHERE id = ?")) {
            for (StoredRow r : rows) {
                Object[] v = values(r);
                for (int i = 1; i < v.length; i++) {
                    ps.setObject(i, v[i]);
                }
                ps.setLong(v.length, r.id());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public long nextId() {
        return jdbc.sql("SELECT nextval('" + idSequence() + "')")
                .query(Long.class)
                .single();
    }

    /** Whether a row other than {@code exceptId} holds {@code value} in the unique field (case-insensitively). */
    public boolean taken(FieldDef unique, String value, long exceptId) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE " + unique.uniqueKeyColumn() + " = ? AND id <> ?")
                        .params(value.toLowerCase(Locale.ROOT), exceptId)
                        .query(Long.class)
                        .single()
                > 0;
    }

    public void insert(StoredRow row) {
        jdbc.sql("INSERT INTO " + table + " (" + columnList + ") VALUES ("
                        + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")")
                .params(values(row))
                .update();
    }

    /**
     * Inserts rows on the caller's connection (a bulk load in its transaction): through COPY on PostgreSQL, which
     * takes rows several times faster than batched INSERTs, and as one batch elsewhere (H2).
     */
    public void insertBatch(Connection c, List<StoredRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        if (c.isWrapperFor(PGConnection.class)) {
            copyIn(c.unwrap(PGConnection.class), rows);
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (" + columnList + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")")) {
            for (StoredRow r : rows) {
                Object[] v = values(r);
                for (int i = 0; i < v.length; i++) {
                    ps.setObject(i + 1, v[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The rows as COPY's CSV: text quoted (so an empty string stays a string), NULL as an unquoted nothing. Sent
     * in pieces as they are written, so the database stores the first rows while the last are still being built.
     */
    private void copyIn(PGConnection c, List<StoredRow> rows) throws SQLException {
        CopyIn copy = c.getCopyAPI().copyIn("COPY " + table + " (" + columnList + ") FROM STDIN WITH (FORMAT csv)");
        try {
            StringBuilder csv = new StringBuilder(COPY_PIECE + 4096);
            for (StoredRow r : rows) {
                Object[] v = values(r);
                for (int i = 0; i < v.length; i++) {
                    Object x = v[i];
                    if (x instanceof String text) {
                        csv.append('"').append(text.replace("\"", "\"\"")).append('"');
                    } else if (x instanceof BigDecimal d) {
                        csv.append(d.toPlainString());
                    } else if (x != null) {
                        csv.append(x);
                    }
                    csv.append(i + 1 < v.length ? ',' : '\n');
                }
                if (csv.length() >= COPY_PIECE) {
                    send(copy, csv);
                }
            }
            send(copy, csv);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static final int COPY_PIECE = 1 << 16;

    private static void send(CopyIn copy, StringBuilder csv) throws SQLException {
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        csv.setLength(0);
    }

    public void update(StoredRow row) {
        Object[] v = values(row);
        List<String> sets = new ArrayList<>();
        for (int i = 1; i < columns.size(); i++) {
            sets.add(columns.get(i).column().name() + " = ?");
        }
        Object[] params = new Object[v.length];
        System.arraycopy(v, 1, params, 0, v.length - 1);
        params[v.length - 1] = row.id();
        jdbc.sql("UPDATE " + table + " SET " + String.join(", ", sets) + " WHERE id = ?")
                .params(params)
                .update();
    }

    public boolean delete(long id) {
        return jdbc.sql("DELETE FROM " + table + " WHERE id = ?").param(id).update() == 1;
    }

    public long count() {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    public long maxId() {
        return jdbc.sql("SELECT COALESCE(MAX(id), 0) FROM " + table)
                .query(Long.class)
                .single();
    }

    /** Database totals for reconciliation: the newest change, count and sums of ids and versions, in one read. */
    public record Checksum(long maxSeq, long count, BigInteger idSum, BigInteger versionSum) {}

    public Checksum checksum() {
        return longWork.run(() -> jdbc.sql("SELECT (SELECT COALESCE(MAX(seq), 0) FROM " + log + "), COUNT(*),"
                        + " COALESCE(SUM(id), 0), COALESCE(SUM(version), 0) FROM " + table)
                .query((rs, n) -> new Checksum(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getBigDecimal(3).toBigInteger(),
                        rs.getBigDecimal(4).toBigInteger()))
                .single());
    }

    /** Per id range ({@code id / width}): count, sum of ids, sum of versions. */
    public Map<Long, List<Long>> rangeChecksums(long width) {
        return longWork.run(() -> {
            Map<Long, List<Long>> out = new HashMap<>();
            jdbc.sql("SELECT id / " + width + ", COUNT(*), SUM(id), SUM(version) FROM " + table + " GROUP BY id / "
                            + width)
                    .query(rs -> {
                        out.put(rs.getLong(1), List.of(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                    });
            return out;
        });
    }

    /** Id to version of every row with an id in {@code from..to}. */
    public Map<Long, Long> versions(long from, long to) {
        Map<Long, Long> out = new HashMap<>();
        jdbc.sql("SELECT id, version FROM " + table + " WHERE id BETWEEN ? AND ?")
                .params(from, to)
                .query(rs -> {
                    out.put(rs.getLong(1), rs.getLong(2));
                });
        return out;
    }

    /** Streams every row (or those with ids {@code from..to}) with a server-side cursor. */
    public void forEach(Long from, Long to, Consumer<StoredRow> sink) {
        String where = from == null ? "" : " WHERE id BETWEEN " + from + " AND " + to;
        RowStreams.stream(
                dataSource, longWork, "SELECT " + columnList + " FROM " + table + where, this::map, sink, table);
    }

    /** Column values in {@link #columnList} order. */
    private Object[] values(StoredRow row) {
        Object[] out = new Object[columns.size()];
        for (int i = 0; i < out.length; i++) {
            TableLayout.Wanted w = columns.get(i);
            String name = w.column().name();
            if (name.equals("id")) {
                out[i] = row.id();
            } else if (name.equals("version")) {
                out[i] = row.version();
            } else if (w.field() == null) { // a unique field's key column, after the field
                Object v = row.value(columns.get(i - 1).field().name());
                out[i] = v == null ? null : v.toString().toLowerCase(Locale.ROOT);
            } else {
                out[i] = toColumn(w.field(), row.value(name));
            }
        }
        return out;
    }

    private static Object toColumn(FieldDef f, Object v) {
        if (f.type() == FieldType.KEYWORD_LIST) {
            @SuppressWarnings("unchecked")
            List<String> items = v == null ? List.of() : (List<String>) v;
            return String.join(",", items);
        }
        if (v instanceof Instant t) {
            return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
        }
        return v;
    }

    private StoredRow map(ResultSet rs) throws SQLException {
        Map<String, Object> values = new LinkedHashMap<>();
        for (FieldDef f : schema.fields()) {
            values.put(f.name(), read(rs, f));
        }
        return new StoredRow(rs.getLong("id"), values, rs.getLong("version"));
    }

    private static Object read(ResultSet rs, FieldDef f) throws SQLException {
        String c = f.name();
        Object v = switch (f.type()) {
            case TEXT, KEYWORD -> rs.getString(c);
            case KEYWORD_LIST -> {
                String s = rs.getString(c);
                yield s == null || s.isEmpty() ? List.of() : List.of(s.split(","));
            }
            case INTEGER -> rs.getInt(c);
            case LONG -> rs.getLong(c);
            case DECIMAL -> {
                BigDecimal d = rs.getBigDecimal(c);
                yield d == null ? null : d.setScale(f.scale(), java.math.RoundingMode.UNNECESSARY);
            }
            case DOUBLE -> rs.getDouble(c);
            case BOOLEAN -> rs.getBoolean(c);
            case TIMESTAMP -> {
                OffsetDateTime t = rs.getObject(c, OffsetDateTime.class);
                yield t == null ? null : t.toInstant();
            }
        };
        return rs.wasNull() ? null : v;
    }
}
