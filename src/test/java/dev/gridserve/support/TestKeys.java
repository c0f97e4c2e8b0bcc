package dev.gridserve.support;

/** Credentials every test instance is started with, so tests that write can; role tests make their own keys. */
public final class TestKeys {
    private TestKeys() {}

    /** The configured admin key (ADMIN_API_KEY) of test instances. */
    public static final String ADMIN = "test-admin-key-0123456789-abcdefghijklmnopqrstuvwxyz";
}
