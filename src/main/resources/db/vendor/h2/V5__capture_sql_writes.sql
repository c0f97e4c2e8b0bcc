-- Only the service itself opens the embedded database (it holds the files), so there are no direct writes to
-- capture; the PostgreSQL version of this migration installs the trigger. Kept so both number alike.
ALTER TABLE products ALTER COLUMN tags SET DEFAULT '';
