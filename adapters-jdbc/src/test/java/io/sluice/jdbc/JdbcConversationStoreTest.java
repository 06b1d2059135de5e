package io.sluice.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.ports.out.ConversationStore;
import io.sluice.testkit.contract.ConversationStoreContract;
import io.sluice.testkit.db.PostgresTestSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

/** The conversation store contract, on a real PostgreSQL and on H2 in a file. */
class JdbcConversationStoreTest {
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class OnDatabase extends ConversationStoreContract {
        private JdbcStorage storage;
        private ConversationStore store;

        abstract StorageSettings settings();

        void dropDatabase() {}

        @BeforeAll
        void open() {
            storage = JdbcStorage.open(settings());
            store = storage.conversations(new ObjectMapper());
        }

        @AfterAll
        void close() {
            storage.close();
            dropDatabase();
        }

        @Override
        protected ConversationStore store() {
            return store;
        }
    }

    @Nested
    class OnPostgres extends OnDatabase {
        private final PostgresTestSchema schema = new PostgresTestSchema();

        @Override
        StorageSettings settings() {
            return new StorageSettings(StorageSettings.Dialect.POSTGRESQL, schema.jdbcUrl(), schema.user(), schema.password(), 8);
        }

        @Override
        void dropDatabase() {
            schema.close();
        }
    }

    @Nested
    class OnH2 extends OnDatabase {
        @Override
        StorageSettings settings() {
            try {
                return StorageSettings.embedded(Files.createTempDirectory("sluice-h2").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
