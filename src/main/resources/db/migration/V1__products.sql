-- Products: the system of record. Runs unchanged on PostgreSQL and on H2 in PostgreSQL mode.
CREATE SEQUENCE product_id_seq START WITH 1;
CREATE SEQUENCE change_seq START WITH 1;

CREATE TABLE products (
    id            BIGINT        PRIMARY KEY,
    name          VARCHAR(200)  NOT NULL,
    description   VARCHAR(2000) NOT NULL,
    price         NUMERIC(9, 2) NOT NULL,
    category      VARCHAR(100)  NOT NULL,
    stock         INTEGER       NOT NULL,
    sku           VARCHAR(50)   NOT NULL,
    -- lower-cased SKU: uniqueness is case-insensitive
    sku_key       VARCHAR(50)   NOT NULL,
    brand         VARCHAR(100),
    rating        DOUBLE PRECISION,
    reviews_count INTEGER,
    -- tags joined by ',' (tags may not contain commas: the list API splits on them)
    tags          VARCHAR(1100) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    -- change-log sequence of the write that produced this row; part of the reconciliation checksum
    version       BIGINT        NOT NULL,
    CONSTRAINT products_sku_key_uq UNIQUE (sku_key)
);

-- The change log (outbox): one row per write, in the same transaction as the write. Index followers apply
-- the current row of each changed id in sequence order. op: U upsert, D delete, B bulk load (rebuild).
CREATE TABLE product_changes (
    seq        BIGINT  PRIMARY KEY,
    product_id BIGINT  NOT NULL,
    op         CHAR(1) NOT NULL,
    changed_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Facts about this database; database_id tells an index which database it mirrors.
CREATE TABLE gridserve_meta (
    meta_key   VARCHAR(64)  PRIMARY KEY,
    meta_value VARCHAR(200) NOT NULL
);
