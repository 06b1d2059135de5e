package io.sluice.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.ports.out.ApiKeyStore;
import io.sluice.ports.out.BudgetStore;
import io.sluice.ports.out.ConversationStore;
import io.sluice.ports.out.UsageLedger;
import io.sluice.testkit.contract.ApiKeyStoreContract;
import io.sluice.testkit.contract.BudgetStoreContract;
import io.sluice.testkit.contract.ConversationStoreContract;
import io.sluice.testkit.contract.UsageLedgerContract;
import io.sluice.testkit.db.PostgresTestSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

/** The contracts of the JDBC stores (conversations, usage ledger, API keys, budgets), on a real PostgreSQL and on H2 in a file. */
class JdbcContractsTest {
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class OnDatabase {
        final JdbcStorage storage = JdbcStorage.open(settings());

        abstract StorageSettings settings();

        void dropDatabase() {}

        @AfterAll
        void close() {
            storage.close();
            dropDatabase();
        }

        @Nested
        class Conversations extends ConversationStoreContract {
            private final ConversationStore store = storage.conversations(new ObjectMapper());

            @Override
            protected ConversationStore store() {
                return store;
            }
        }

        @Nested
        class Deletions extends io.sluice.testkit.contract.ConversationDeletionContract {
            private final ConversationStore store = storage.conversations(new ObjectMapper());

            @Override
            protected ConversationStore store() {
                return store;
            }
        }

        @Nested
        class Batches extends io.sluice.testkit.contract.BatchStoreContract {
            private final io.sluice.ports.out.BatchStore store = storage.batches();

            @Override
            protected io.sluice.ports.out.BatchStore store() {
                return store;
            }
        }

        @Nested
        class RouteWeights extends io.sluice.testkit.contract.RouteWeightStoreContract {
            private final io.sluice.ports.out.RouteWeightStore store = storage.routeWeights();

            @Override
            protected io.sluice.ports.out.RouteWeightStore store() {
                return store;
            }
        }

        @Nested
        class UpstreamKeys extends io.sluice.testkit.contract.UpstreamKeyStoreContract {
            private final io.sluice.ports.out.UpstreamKeyStore store = storage.upstreamKeys();

            @Override
            protected io.sluice.ports.out.UpstreamKeyStore store() {
                return store;
            }
        }

        @Nested
        class Files extends io.sluice.testkit.contract.FileStoreContract {
            private final io.sluice.ports.out.FileStore store = storage.files();

            @Override
            protected io.sluice.ports.out.FileStore store() {
                return store;
            }
        }

        @Nested
        class Ledger extends UsageLedgerContract {
            @Override
            protected UsageLedger ledger() {
                return storage.usageLedger();
            }

            @Override
            protected ConversationStore store() {
                return storage.conversations(new ObjectMapper());
            }
        }

        @Nested
        class Keys extends ApiKeyStoreContract {
            @Override
            protected ApiKeyStore store() {
                return storage.apiKeys();
            }
        }

        @Nested
        class Budgets extends BudgetStoreContract {
            @Override
            protected BudgetStore store() {
                return storage.budgets();
            }
        }
    }

    @Nested
    class OnPostgres extends OnDatabase {
        private PostgresTestSchema schema;

        @Override
        StorageSettings settings() {
            schema = new PostgresTestSchema();
            return TestDatabases.postgres(schema);
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
            return TestDatabases.h2();
        }
    }
}
