package io.sluice.app.config;

import static io.sluice.app.config.ConfigProblem.check;

import io.sluice.jdbc.StorageSettings;

/** {@code sluice.storage}: the embedded H2 file or PostgreSQL. */
final class StorageReader {
    private StorageReader() {}

    static StorageSettings read(SluiceConfig c) {
        return switch (c.storage().type()) {
            case "embedded" -> StorageSettings.embedded(c.storage().embedded().path());
            case "postgres" -> check("sluice.storage.postgres", () -> new StorageSettings(StorageSettings.Dialect.POSTGRESQL,
                    c.storage().postgres().url(), c.storage().postgres().user(), c.storage().postgres().password().orElse(null),
                    c.storage().postgres().poolSize()));
            default -> throw new ConfigProblem("sluice.storage.type", "unknown storage type '" + c.storage().type() + "'; use embedded or postgres");
        };
    }
}
