package dev.gridserve.schema;

import java.util.Arrays;
import java.util.Optional;

/** The types a table's field can have, with the capabilities each admits. */
public enum FieldType {
    TEXT("text"),
    KEYWORD("keyword"),
    KEYWORD_LIST("keyword_list"),
    INTEGER("integer"),
    LONG("long"),
    DECIMAL("decimal"),
    DOUBLE("double"),
    BOOLEAN("boolean"),
    TIMESTAMP("timestamp");

    private final String wire;

    FieldType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<FieldType> fromWire(String s) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(s)).findFirst();
    }

    public static String allowed() {
        return String.join(", ", Arrays.stream(values()).map(FieldType::wire).toList());
    }

    /** Holds characters: a length limit applies, and it can be searched. */
    public boolean textual() {
        return this == TEXT || this == KEYWORD || this == KEYWORD_LIST;
    }

    /** Holds numbers: min/max limits, range filters and stats apply. */
    public boolean numeric() {
        return this == INTEGER || this == LONG || this == DECIMAL || this == DOUBLE;
    }

    /** Filters by any-of a set of values (the rest filter by ranges). */
    public boolean discrete() {
        return this == KEYWORD || this == KEYWORD_LIST || this == BOOLEAN;
    }
}
