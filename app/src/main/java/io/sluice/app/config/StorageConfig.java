package io.sluice.app.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Optional;

/** {@code sluice.storage}: where conversations, the usage ledger, keys and budgets are kept. */
public interface StorageConfig {
    /** {@code embedded} (H2 in a file) or {@code postgres}. */
    @WithDefault("embedded")
    String type();

    /**
     * Whether a stateless call's bill is committed before its answer goes out (the default) or written while it does:
     * faster by a commit, at the price of the bills of the calls answered in a crash's last milliseconds. A stored
     * turn's bill is always committed with its messages, before the answer.
     */
    @WithName("commit-bill-before-answer")
    @WithDefault("true")
    boolean commitBillBeforeAnswer();

    Embedded embedded();

    Postgres postgres();

    interface Embedded {
        @WithDefault("./data")
        String path();
    }

    interface Postgres {
        @WithDefault("jdbc:postgresql://127.0.0.1:5432/sluice")
        String url();

        @WithDefault("postgres")
        String user();

        Optional<String> password();

        @WithName("pool-size")
        @WithDefault("16")
        int poolSize();
    }
}
