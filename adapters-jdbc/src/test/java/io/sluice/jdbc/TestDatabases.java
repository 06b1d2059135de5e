package io.sluice.jdbc;

import io.sluice.testkit.db.PostgresTestSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The two databases every JDBC test runs on: a fresh schema of the test PostgreSQL, and H2 in a fresh directory. */
final class TestDatabases {
    private TestDatabases() {}

    static StorageSettings postgres(PostgresTestSchema schema) {
        return new StorageSettings(StorageSettings.Dialect.POSTGRESQL, schema.jdbcUrl(), schema.user(), schema.password(), 8);
    }

    static StorageSettings h2() {
        try {
            return StorageSettings.embedded(Files.createTempDirectory("sluice-h2").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
