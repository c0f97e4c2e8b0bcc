package dev.gridserve.storage;

import java.util.Locale;

/**
 * A column as the database has it, or as a schema wants it: its kind, size ({@code length} of a VARCHAR,
 * {@code precision} and {@code scale} of a NUMERIC) and whether it may hold NULL.
 */
record StoredColumn(String name, Kind kind, int length, int precision, int scale, boolean nullable) {
    enum Kind {
        VARCHAR,
        INTEGER,
        BIGINT,
        NUMERIC,
        DOUBLE,
        BOOLEAN,
        TIMESTAMPTZ,
        OTHER
    }

    /** The kind of a column from its JDBC type name, as PostgreSQL and H2 report it. */
    static Kind kind(String typeName) {
        return switch (typeName.toLowerCase(Locale.ROOT)) {
            case "varchar", "character varying", "text" -> Kind.VARCHAR;
            // a serial is an integer column whose default is a sequence (as products' id is since V5)
            case "int4", "integer", "int", "serial", "serial4" -> Kind.INTEGER;
            case "int8", "bigint", "bigserial", "serial8" -> Kind.BIGINT;
            case "numeric", "decimal" -> Kind.NUMERIC;
            case "float8", "double precision", "double" -> Kind.DOUBLE;
            case "bool", "boolean" -> Kind.BOOLEAN;
            case "timestamptz", "timestamp with time zone" -> Kind.TIMESTAMPTZ;
            default -> Kind.OTHER;
        };
    }

    /** The SQL type, as DDL writes it and as messages name it. */
    String sqlType() {
        return switch (kind) {
            case VARCHAR -> "VARCHAR(" + length + ")";
            case INTEGER -> "INTEGER";
            case BIGINT -> "BIGINT";
            case NUMERIC -> "NUMERIC(" + precision + ", " + scale + ")";
            case DOUBLE -> "DOUBLE PRECISION";
            case BOOLEAN -> "BOOLEAN";
            case TIMESTAMPTZ -> "TIMESTAMP WITH TIME ZONE";
            case OTHER -> "another type";
        };
    }
}
