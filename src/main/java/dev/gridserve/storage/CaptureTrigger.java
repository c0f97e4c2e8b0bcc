package dev.gridserve.storage;

import dev.gridserve.schema.FieldDef;
import dev.gridserve.schema.TableSchema;
import java.util.List;

/**
 * PostgreSQL: writes made directly in a schema-defined table (plain INSERT/UPDATE/DELETE by any program) go
 * into its change log like the API's own, so every instance's index follows them, as products' migration V5
 * does for products. The service marks its own transactions (gridserve.api_write) and writes its own entries;
 * everything else is captured, one entry per row, with the database user as actor ("sql:USER"). The trigger
 * fills what a plain INSERT leaves out: the id, the lower-cased keys of unique fields, the timestamps and the
 * version.
 */
final class CaptureTrigger {
    private CaptureTrigger() {}

    /** The statements that (re)create the table's capture function and trigger; safe to run at every start. */
    static List<String> sql(TableSchema schema) {
        String t = schema.name();
        String log = t + "_changes";
        String seq = t + "_change_seq";
        StringBuilder keys = new StringBuilder();
        for (FieldDef f : schema.fields()) {
            if (f.unique()) {
                keys.append("    NEW.")
                        .append(f.uniqueKeyColumn())
                        .append(" := lower(NEW.")
                        .append(f.name())
                        .append(");\n");
            }
        }
        boolean created = schema.field("created_at").isPresent();
        boolean updated = schema.field("updated_at").isPresent();
        String function = "CREATE OR REPLACE FUNCTION gridserve_capture_" + t + "_write() RETURNS trigger\n"
                + "LANGUAGE plpgsql\n"
                + "SET search_path FROM CURRENT\n"
                + "AS $$\n"
                + "DECLARE\n"
                + "    s BIGINT;\n"
                + "BEGIN\n"
                // the transaction id first, then the number, as every change-log writer must
                + "    PERFORM pg_current_xact_id();\n"
                + "    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND NEW.id <> OLD.id) THEN\n"
                + "        INSERT INTO " + log + " (seq, row_id, op, changed_at, action, actor)\n"
                + "        VALUES (nextval('" + seq + "'), OLD.id, 'D', now(), 'delete', 'sql:' || current_user);\n"
                + "        IF TG_OP = 'DELETE' THEN\n"
                + "            PERFORM pg_notify('gridserve_changes', '');\n"
                + "            RETURN OLD;\n"
                + "        END IF;\n"
                + "    END IF;\n"
                + "    s := nextval('" + seq + "');\n"
                + "    NEW.version := s;\n"
                + keys
                + (created
                        ? "    IF TG_OP = 'INSERT' THEN\n"
                                + "        NEW.created_at := COALESCE(NEW.created_at, now());\n"
                                + (updated
                                        ? "        NEW.updated_at := COALESCE(NEW.updated_at, NEW.created_at);\n"
                                        : "")
                                + (updated
                                        ? "    ELSIF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN\n"
                                                + "        NEW.updated_at := now();\n"
                                        : "")
                                + "    END IF;\n"
                        : "")
                + "    INSERT INTO " + log + " (seq, row_id, op, changed_at, action, actor)\n"
                + "    VALUES (s, NEW.id, 'U', now(), CASE TG_OP WHEN 'INSERT' THEN 'create' ELSE 'update' END,"
                + " 'sql:' || current_user);\n"
                + "    PERFORM pg_notify('gridserve_changes', '');\n"
                + "    RETURN NEW;\n"
                + "END\n"
                + "$$";
        return List.of(
                function,
                "DROP TRIGGER IF EXISTS " + t + "_capture_sql_writes ON " + t,
                // the condition is checked without calling the function, so the service's own writes pay little
                "CREATE TRIGGER " + t + "_capture_sql_writes BEFORE INSERT OR UPDATE OR DELETE ON " + t
                        + " FOR EACH ROW WHEN (current_setting('gridserve.api_write', true) IS DISTINCT FROM 'on')"
                        + " EXECUTE FUNCTION gridserve_capture_" + t + "_write()",
                // so that a plain INSERT needs only the row's own fields
                "ALTER TABLE " + t + " ALTER COLUMN id SET DEFAULT nextval('" + t + "_id_seq')");
    }
}
