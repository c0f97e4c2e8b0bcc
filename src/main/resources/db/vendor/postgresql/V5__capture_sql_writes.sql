-- Writes made directly in PostgreSQL (plain INSERT/UPDATE/DELETE on products, by any program) go into the
-- change log like the API's own, so every instance's index follows them. The API and the bulk loader mark
-- their transactions (gridserve.api_write) and write their own entries, with their actor; everything else is
-- captured here, one entry per row, with the database user as actor ("sql:USER").
CREATE OR REPLACE FUNCTION gridserve_capture_product_write() RETURNS trigger
LANGUAGE plpgsql
-- the change log of this schema, whatever search_path the writing session has
SET search_path FROM CURRENT
AS $$
DECLARE
    s BIGINT;
BEGIN
    -- the transaction id first, then the number, as every change-log writer must: a follower that finds the
    -- number missing can then tell whether the transaction holding it may still commit
    PERFORM pg_current_xact_id();
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND NEW.id <> OLD.id) THEN
        INSERT INTO product_changes (seq, product_id, op, changed_at, action, actor)
        VALUES (nextval('change_seq'), OLD.id, 'D', now(), 'delete', 'sql:' || current_user);
        IF TG_OP = 'DELETE' THEN
            PERFORM pg_notify('gridserve_changes', '');
            RETURN OLD;
        END IF;
    END IF;
    s := nextval('change_seq');
    NEW.version := s;
    NEW.sku_key := lower(NEW.sku);
    IF TG_OP = 'INSERT' THEN
        NEW.created_at := COALESCE(NEW.created_at, now());
        NEW.updated_at := COALESCE(NEW.updated_at, NEW.created_at);
    ELSIF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
        NEW.updated_at := now();
    END IF;
    INSERT INTO product_changes (seq, product_id, op, changed_at, action, actor)
    VALUES (s, NEW.id, 'U', now(), CASE TG_OP WHEN 'INSERT' THEN 'create' ELSE 'update' END, 'sql:' || current_user);
    -- one notification per transaction: PostgreSQL folds identical ones
    PERFORM pg_notify('gridserve_changes', '');
    RETURN NEW;
END
$$;

-- the condition is checked without calling the function, so the service's own bulk loads pay little for it
CREATE TRIGGER products_capture_sql_writes
    BEFORE INSERT OR UPDATE OR DELETE ON products
    FOR EACH ROW
    WHEN (current_setting('gridserve.api_write', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION gridserve_capture_product_write();

-- so that a plain INSERT needs only the product's own fields
ALTER TABLE products ALTER COLUMN id SET DEFAULT nextval('product_id_seq');
ALTER TABLE products ALTER COLUMN tags SET DEFAULT '';
