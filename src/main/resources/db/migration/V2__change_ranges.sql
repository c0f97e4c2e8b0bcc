-- A change can name a range of ids (op R: rows [product_id, product_id_to] were loaded in bulk), so a bulk
-- load is applied by every follower chunk by chunk instead of forcing a rebuild. op E moves the data version
-- of every instance without touching rows (after an index was healed).
ALTER TABLE product_changes ADD COLUMN product_id_to BIGINT;

-- The highest change-log number pruning has deleted: an index applied only up to below it must rebuild. (A
-- missing first number is not proof of pruning: the first write may have rolled back.) A log pruned before
-- this column existed is assumed pruned up to its first entry.
INSERT INTO gridserve_meta (meta_key, meta_value)
SELECT 'pruned_through', CAST(COALESCE(MIN(seq) - 1, 0) AS VARCHAR(20)) FROM product_changes;
