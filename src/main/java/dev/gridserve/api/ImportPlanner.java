package dev.gridserve.api;

import dev.gridserve.schema.FieldDef;
import dev.gridserve.storage.StoredRow;
import dev.gridserve.system.ApiException;
import dev.gridserve.system.Dialect;
import dev.gridserve.tables.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a batch of prepared records into the rows it writes: each record is matched to an existing row (of the
 * table, or written earlier in the file) and becomes an update of it, or an insert with a fresh id; records that
 * cannot be written are rejected by line, and no two rows of the file may share a unique value.
 */
final class ImportPlanner {
    private final Table table;
    private final ImportJob job;
    private final FieldDef matchField; // null: match by _id
    private final Dialect dialect;
    /** Match keys written so far, to the row id: duplicates later in the file update the row, as in the table. */
    private final Map<String, Long> written = new HashMap<>();

    ImportPlanner(Table table, ImportJob job, FieldDef matchField, Dialect dialect) {
        this.table = table;
        this.job = job;
        this.matchField = matchField;
        this.dialect = dialect;
    }

    /** A record that was read, with the key it matches rows by (null: none, it creates a row). */
    private record Planned(long line, String key, PreparedRecord prepared) {}

    /** A valid record: where it goes ({@code slot}), the row it updates (null: a new one) and its values. */
    private record Draft(String slot, StoredRow current, RowDraft draft, long line) {}

    ImportBatch plan(List<PreparedRecord> records) {
        List<Planned> planned = readable(records);
        Map<String, StoredRow> existing = existing(planned);
        List<Draft> drafts = drafts(planned, existing);
        ImportBatch b = rows(drafts);
        rejectSharedUniqueValues(b);
        return b;
    }

    /** Remembers the batch's match keys once it is stored: later records with them update those rows. */
    void stored(ImportBatch b) {
        for (String slot : b.order) {
            if (!slot.startsWith("new#")) {
                written.put(slot, b.pending.get(slot).id());
            }
        }
    }

    /** Every record that could be read, keyed as the import matches rows; the others are rejected. */
    private List<Planned> readable(List<PreparedRecord> records) {
        List<Planned> planned = new ArrayList<>();
        for (PreparedRecord pr : records) {
            ImportRecords.Record r = pr.record();
            if (r.problem() != null) {
                job.reject(r.line(), null, "Line " + r.line() + " " + r.problem());
            } else if (pr.keyProblem() != null) {
                job.reject(r.line(), matchField == null ? "_id" : matchField.name(), pr.keyProblem());
            } else {
                planned.add(new Planned(r.line(), pr.key(), pr));
            }
        }
        return planned;
    }

    /** The table's rows the records' keys match, by key. */
    private Map<String, StoredRow> existing(List<Planned> planned) {
        Set<Long> ids = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (Planned p : planned) {
            if (p.key() != null && matchField == null) {
                ids.add(Long.parseLong(p.key()));
            } else if (p.key() != null) {
                keys.add(p.key());
            }
        }
        Map<String, StoredRow> existing = new HashMap<>();
        if (matchField == null) {
            table.store().findAll(ids).forEach(row -> existing.put(Long.toString(row.id()), row));
        } else {
            existing.putAll(table.store().findByKeys(matchField, keys));
        }
        return existing;
    }

    /** Each record checked as an insert or as an update (of a row in the table, or written earlier in the file). */
    private List<Draft> drafts(List<Planned> planned, Map<String, StoredRow> existing) {
        List<Draft> drafts = new ArrayList<>();
        Set<String> batchKeys = new HashSet<>(); // a key met earlier in this batch: the record updates that row
        for (Planned p : planned) {
            ObjectNode body = p.prepared().record().body();
            boolean earlier = p.key() != null && batchKeys.contains(p.key());
            StoredRow current = p.key() == null ? null : existing.get(p.key());
            if (current == null && p.key() != null && written.containsKey(p.key())) {
                current = table.store().find(written.get(p.key())).orElse(null);
            }
            if (current == null && !earlier && matchField == null && p.key() != null) {
                job.reject(
                        p.line(),
                        "_id",
                        "Line " + p.line() + ": there is no row with _id " + p.key()
                                + "; leave _id out to create a row");
                continue;
            }
            RowDraft draft;
            try {
                boolean partial = current != null || earlier;
                if (!partial && p.prepared().asNewProblem() != null) {
                    throw p.prepared().asNewProblem();
                }
                draft = partial
                        ? RowDraft.parse(table.schema(), ImportReadAhead.values(body), true)
                        : p.prepared().asNew();
            } catch (ApiException e) {
                for (ApiException.FieldProblem fp : e.errors()) {
                    job.reject(p.line(), fp.field(), "Line " + p.line() + ": '" + fp.field() + "' " + fp.message());
                }
                if (e.errors().isEmpty()) {
                    job.reject(p.line(), null, "Line " + p.line() + ": " + e.getMessage());
                }
                continue;
            }
            if (p.key() != null) {
                batchKeys.add(p.key());
            }
            drafts.add(new Draft(p.key() != null ? p.key() : "new#" + p.line(), current, draft, p.line()));
        }
        return drafts;
    }

    /** The rows the drafts write, one per slot: a later record of the same slot applies on top of the earlier. */
    private ImportBatch rows(List<Draft> drafts) {
        ImportBatch b = new ImportBatch();
        long fresh = drafts.stream()
                .filter(d -> d.current() == null)
                .map(Draft::slot)
                .distinct()
                .count();
        List<Long> freshIds = fresh > 0 ? table.store().nextIds((int) fresh, dialect) : List.of();
        int nextFresh = 0;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (Draft d : drafts) {
            String slot = d.slot();
            StoredRow base = b.pending.get(slot);
            StoredRow row;
            if (base != null) {
                row = d.draft().applyTo(table.schema(), base, now, 0);
            } else if (d.current() != null) {
                row = d.draft().applyTo(table.schema(), d.current(), now, 0);
                b.isNew.put(slot, false);
            } else {
                row = d.draft().create(table.schema(), freshIds.get(nextFresh++), now, 0);
                b.isNew.put(slot, true);
            }
            if (!b.pending.containsKey(slot)) {
                b.order.add(slot);
            }
            b.pending.put(slot, row);
            b.lineOf.put(slot, d.line());
        }
        return b;
    }

    /** No two rows of the file may share a unique value (the table's other rows: see ImportBatchWriter). */
    private void rejectSharedUniqueValues(ImportBatch b) {
        for (FieldDef u : table.schema().fields()) {
            if (!u.unique()) {
                continue;
            }
            Map<String, String> seen = new HashMap<>();
            for (String slot : new ArrayList<>(b.order)) {
                Object v = b.pending.get(slot).value(u.name());
                if (v == null) {
                    continue;
                }
                String other = seen.putIfAbsent(v.toString().toLowerCase(Locale.ROOT), slot);
                if (other != null) {
                    b.reject(job, slot, u, "'" + v + "' is also in line " + b.lineOf.get(other));
                }
            }
        }
    }
}
