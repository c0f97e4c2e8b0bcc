package dev.gridserve.system;

/** The two databases the same repository code runs on; only bulk loading and id ranges differ. */
public enum Dialect {
    POSTGRES,
    H2;

    /** SQL returning {@code n} fresh values of a sequence as rows. */
    public String nextValues(String sequence, int n) {
        return switch (this) {
            case POSTGRES -> "SELECT nextval('" + sequence + "') FROM generate_series(1, " + n + ")";
            case H2 -> "SELECT NEXT VALUE FOR " + sequence + " FROM SYSTEM_RANGE(1, " + n + ")";
        };
    }
}
