-- API keys: only a hash of each key's secret is kept; a revoked key keeps its row (and its history).
CREATE TABLE api_keys (
    key_id       VARCHAR(16)  PRIMARY KEY,
    name         VARCHAR(100) NOT NULL,
    role         VARCHAR(10)  NOT NULL,
    secret_hash  VARCHAR(64)  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at TIMESTAMP WITH TIME ZONE,
    revoked_at   TIMESTAMP WITH TIME ZONE,
    CONSTRAINT api_keys_name_uq UNIQUE (name)
);

-- The audit trail: who made each change ("key:NAME" for an API key, "jwt:SUBJECT" for a token, "seed" for
-- generated data) and what it was (create, update, delete, seed). Entries written before this are left NULL.
ALTER TABLE product_changes ADD COLUMN actor VARCHAR(200);
ALTER TABLE product_changes ADD COLUMN action VARCHAR(10);

-- A product's history, newest first: its own entries, and the few bulk ranges (op R) that cover it.
CREATE INDEX product_changes_history ON product_changes (op, product_id, seq);
