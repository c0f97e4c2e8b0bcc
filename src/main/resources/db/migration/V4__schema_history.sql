-- What each table schema looked like when its storage was last brought in line with it, one row per change
-- (Flyway keeps this project's own migrations; these are the ones generated from schema files).
CREATE TABLE gridserve_schema_history (
    table_name  VARCHAR(40)   NOT NULL,
    version     INTEGER       NOT NULL,
    checksum    VARCHAR(64)   NOT NULL,
    description VARCHAR(4000) NOT NULL,
    applied_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (table_name, version)
);
