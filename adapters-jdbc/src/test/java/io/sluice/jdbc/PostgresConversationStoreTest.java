package io.sluice.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.ports.out.ConversationStore;
import io.sluice.testkit.contract.ConversationStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresConversationStoreTest extends ConversationStoreContract {
    private static JdbcStorage storage;
    private static ConversationStore store;

    @BeforeAll
    static void open() {
        storage = JdbcStorage.open(TestDatabases.postgres());
        store = storage.conversations(new ObjectMapper());
    }

    @AfterAll
    static void close() {
        storage.close();
    }

    @Override
    protected ConversationStore store() {
        return store;
    }
}
