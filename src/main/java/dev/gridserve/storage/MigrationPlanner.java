package dev.gridserve.storage;

import dev.gridserve.schema.FieldDef;
import dev.gridserve.schema.SchemaException;
import dev.gridserve.schema.TableSchema;
import dev.gridserve.storage.StoredColumn.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Works out what brings a table in line with its schema. What can change in place does (a new table, a new
 * optional field, a longer text, more digits, a field made optional, a field made required or unique when the
 * rows allow it); what cannot (a type change, a required column the schema no longer has, a new required field
 * on a table with rows, a scale change, duplicates under a new unique field) is refused with a sentence naming
 * the field and what to do, and nothing is changed.
 */
final class MigrationPlanner {
    /** One change to make, described for the history and the log, and the statements that make it. */
    record Step(String description, List<String> sql) {}

    /** What the planner needs to know about the rows, asked only when a change depends on it. */
    interface Rows {
        boolean any();

        long nulls(String column);

        /** Up to a few values that more than one row holds, compared case-insensitively. */
        List<String> duplicatesIgnoringCase(String column);
    }

    private MigrationPlanner() {}

    /** The steps for {@code schema} over the table's {@code existing} columns (empty: no table yet). */
    static List<Step> plan(TableSchema schema, Map<String, StoredColumn> existing, Rows rows) {
        List<TableLayout.Wanted> wanted = TableLayout.of(schema);
        return existing.isEmpty() ? create(schema.name(), wanted) : alter(schema, wanted, existing, rows);
    }

    private static List<Step> create(String t, List<TableLayout.Wanted> wanted) {
        List<String> columns = new ArrayList<>();
        for (TableLayout.Wanted w : wanted) {
            columns.add(definition(w) + (w.column().name().equals("id") ? " PRIMARY KEY" : ""));
        }
        for (TableLayout.Wanted w : wanted) {
            if (w.field() != null && w.field().unique()) {
                columns.add("CONSTRAINT " + uniqueConstraint(t, w.field()) + " UNIQUE ("
                        + w.field().uniqueKeyColumn() + ")");
            }
        }
        return List.of(new Step(
                "create table " + t,
                List.of(
                        "CREATE SEQUENCE IF NOT EXISTS " + t + "_id_seq START WITH 1",
                        "CREATE SEQUENCE IF NOT EXISTS " + t + "_change_seq START WITH 1",
                        "CREATE TABLE " + t + " (\n    " + String.join(",\n    ", columns) + "\n)",
                        // the change log, written in the same transaction as each write of the table
                        "CREATE TABLE " + t + "_changes (seq BIGINT PRIMARY KEY, row_id BIGINT NOT NULL, row_id_to"
                                + " BIGINT, op CHAR(1) NOT NULL, changed_at TIMESTAMP WITH TIME ZONE NOT NULL, action"
                                + " VARCHAR(10), actor VARCHAR(200))",
                        "CREATE INDEX " + t + "_changes_history ON " + t + "_changes (op, row_id, seq)")));
    }

    private static List<Step> alter(
            TableSchema schema, List<TableLayout.Wanted> wanted, Map<String, StoredColumn> existing, Rows rows) {
        String t = schema.name();
        List<String> refusals = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        for (TableLayout.Wanted w : wanted) {
            StoredColumn want = w.column();
            StoredColumn have = existing.get(want.name());
            FieldDef f = w.field();
            if (f == null) {
                if (have == null && isKeyOf(schema, want.name())) {
                    continue; // added with its unique field below
                }
                if (have == null) {
                    refusals.add("the table " + t + " exists but has no column " + want.name() + ", which every"
                            + " table made by gridserve has: point the schema at another table name, or drop"
                            + " this table if it holds nothing you need");
                } else if (!sameFamily(have, want)) {
                    refusals.add("column " + want.name() + " of table " + t + " is " + have.sqlType() + ", not "
                            + want.sqlType());
                }
                continue;
            }
            String where = "field '" + f.name() + "' of table " + t + ": ";
            if (have == null) {
                if (!want.nullable() && w.sqlDefault() == null && rows.any()) {
                    refusals.add(where + "it is new and required, but the table already has rows that have no value"
                            + " for it; make it optional (required: false), or add it as optional, fill it in, then"
                            + " make it required");
                    continue;
                }
                steps.add(new Step(
                        "add field " + f.name(), List.of("ALTER TABLE " + t + " ADD COLUMN " + definition(w))));
            } else {
                change(t, w, have, rows, steps, refusals);
            }
            if (f.unique() && !existing.containsKey(f.uniqueKeyColumn())) {
                List<String> dups = have == null ? List.of() : rows.duplicatesIgnoringCase(f.name());
                if (!dups.isEmpty()) {
                    refusals.add(where + "it cannot be made unique: several rows hold "
                            + dups.stream().map(d -> "'" + d + "'").collect(Collectors.joining(", "))
                            + " (ignoring case); make those values distinct first");
                    continue;
                }
                String key = f.uniqueKeyColumn();
                steps.add(new Step(
                        "make field " + f.name() + " unique",
                        List.of(
                                "ALTER TABLE " + t + " ADD COLUMN " + key + " VARCHAR("
                                        + f.limits().maxLength() + ")",
                                "UPDATE " + t + " SET " + key + " = LOWER(" + f.name() + ")",
                                "ALTER TABLE " + t + " ALTER COLUMN " + key + " SET NOT NULL",
                                "ALTER TABLE " + t + " ADD CONSTRAINT " + uniqueConstraint(t, f) + " UNIQUE (" + key
                                        + ")")));
            }
        }
        Set<String> wantedNames = wanted.stream().map(w -> w.column().name()).collect(Collectors.toSet());
        for (StoredColumn have : existing.values()) {
            if (wantedNames.contains(have.name())) {
                continue;
            }
            FieldDef keyOf = schema.fields().stream()
                    .filter(f -> f.uniqueKeyColumn().equals(have.name()))
                    .findFirst()
                    .orElse(null);
            if (keyOf != null) { // the field is no longer unique
                steps.add(new Step(
                        "field " + keyOf.name() + " no longer unique",
                        List.of(
                                "ALTER TABLE " + t + " DROP CONSTRAINT IF EXISTS " + uniqueConstraint(t, keyOf),
                                "ALTER TABLE " + t + " ALTER COLUMN " + have.name() + " DROP NOT NULL")));
            } else if (!have.nullable()) {
                refusals.add("column " + have.name() + " of table " + t + " is required in the database, but the"
                        + " schema has no field '" + have.name() + "', so no row could be added; put the field back"
                        + " in the schema, or drop the column yourself (ALTER TABLE " + t + " DROP COLUMN "
                        + have.name() + ") if its values can go");
            }
        }
        if (!refusals.isEmpty()) {
            throw new SchemaException(schema.source(), refusals);
        }
        return steps;
    }

    private static void change(
            String t, TableLayout.Wanted w, StoredColumn have, Rows rows, List<Step> steps, List<String> refusals) {
        StoredColumn want = w.column();
        FieldDef f = w.field();
        String where = "field '" + f.name() + "' of table " + t + ": ";
        if (!sameFamily(have, want)) {
            refusals.add(where + "it is stored as " + have.sqlType() + " and the schema now makes it a "
                    + f.type().wire() + "; a type is not changed in place: add a field with a new name and copy the"
                    + " values over, or give the field back its old type");
            return;
        }
        if (want.kind() == Kind.NUMERIC && have.scale() != want.scale()) {
            refusals.add(where + "it is stored with " + have.scale() + " decimal places and the schema now says "
                    + want.scale() + "; that would change stored values: add a field with a new name instead, or set"
                    + " scale back to " + have.scale());
            return;
        }
        String widened = null;
        if (want.kind() == Kind.VARCHAR && have.length() < want.length()) {
            widened = "VARCHAR(" + want.length() + ")";
        } else if (want.kind() == Kind.NUMERIC && have.precision() < want.precision()) {
            widened = "NUMERIC(" + want.precision() + ", " + want.scale() + ")";
        } else if (want.kind() == Kind.BIGINT && have.kind() == Kind.INTEGER) {
            widened = "BIGINT";
        }
        if (widened != null) {
            steps.add(new Step(
                    "widen field " + f.name() + " to " + widened,
                    List.of("ALTER TABLE " + t + " ALTER COLUMN " + f.name() + " SET DATA TYPE " + widened)));
        }
        if (have.nullable() && !want.nullable()) {
            long nulls = rows.nulls(f.name());
            if (nulls > 0) {
                refusals.add(where + "it is now required, but " + nulls + " rows have no value for it; fill them in"
                        + " first, or keep the field optional");
                return;
            }
            steps.add(new Step(
                    "make field " + f.name() + " required",
                    List.of("ALTER TABLE " + t + " ALTER COLUMN " + f.name() + " SET NOT NULL")));
        } else if (!have.nullable() && want.nullable()) {
            steps.add(new Step(
                    "make field " + f.name() + " optional",
                    List.of("ALTER TABLE " + t + " ALTER COLUMN " + f.name() + " DROP NOT NULL")));
        }
    }

    /** Kinds that hold the same values, a narrower one inside a wider one. */
    private static boolean sameFamily(StoredColumn have, StoredColumn want) {
        if (have.kind() == want.kind()) {
            return true;
        }
        return want.kind() == Kind.BIGINT && have.kind() == Kind.INTEGER
                || want.kind() == Kind.INTEGER && have.kind() == Kind.BIGINT;
    }

    private static boolean isKeyOf(TableSchema schema, String column) {
        return schema.fields().stream()
                .anyMatch(f -> f.unique() && f.uniqueKeyColumn().equals(column));
    }

    private static String definition(TableLayout.Wanted w) {
        StoredColumn c = w.column();
        return c.name() + " " + c.sqlType() + (w.sqlDefault() == null ? "" : " DEFAULT " + w.sqlDefault())
                + (c.nullable() ? "" : " NOT NULL");
    }

    static String uniqueConstraint(String table, FieldDef f) {
        return table + "_" + f.uniqueKeyColumn() + "_uq";
    }
}
