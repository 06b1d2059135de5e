package io.sluice.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real databases the adapter tests use: the local PostgreSQL the test script starts, and H2 in a temp file. */
final class TestDatabases {
    private TestDatabases() {}

    static StorageSettings postgres() {
        String url = System.getenv().getOrDefault("SLUICE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = System.getenv().getOrDefault("SLUICE_TEST_PG_USER", "postgres");
        return new StorageSettings(StorageSettings.Dialect.POSTGRESQL, url, user, System.getenv("SLUICE_TEST_PG_PASSWORD"), 8);
    }

    static StorageSettings h2() {
        try {
            return StorageSettings.embedded(Files.createTempDirectory("sluice-h2").toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
