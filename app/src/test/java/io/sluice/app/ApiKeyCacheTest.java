package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.domain.keys.ApiKey;
import io.sluice.domain.keys.KeyPolicy;
import io.sluice.engine.keys.ApiKeyService;
import io.sluice.jdbc.JdbcStorage;
import io.sluice.jdbc.StorageSettings;
import io.sluice.ports.in.ApiKeys;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authenticated keys remembered for a while, on a real store (H2): a revocation written to the store by someone else
 * (another replica, {@code sluice keys revoke}) reaches this process within the cache's time to live, and one made
 * through this process at once.
 */
class ApiKeyCacheTest {
    @TempDir
    Path dir;

    private JdbcStorage storage;

    @BeforeEach
    void open() {
        storage = JdbcStorage.open(StorageSettings.embedded(dir.resolve("data").toString()));
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private Optional<ApiKey> authenticate(ApiKeys keys, String secret) {
        return keys.authenticate(secret).toCompletableFuture().join();
    }

    private void revokeElsewhere(String id) {
        assertThat(storage.apiKeys().revoke(id, Instant.now()).toCompletableFuture().join()).isTrue();
    }

    @Test
    void aKeyRevokedElsewhereIsRefusedOnceItsCachedEntryExpires() {
        ApiKeys keys = new ApiKeyService(storage.apiKeys(), Clock.systemUTC(), Duration.ofSeconds(1));
        ApiKeys.Issued issued = keys.create("acme", "bot", KeyPolicy.NONE).toCompletableFuture().join();
        assertThat(authenticate(keys, issued.secret())).isPresent();

        revokeElsewhere(issued.key().id());

        assertThat(authenticate(keys, issued.secret())).as("still remembered").isPresent();
        await().atMost(Duration.ofSeconds(5)).until(() -> authenticate(keys, issued.secret()).isEmpty());
    }

    @Test
    void aKeyRevokedOrRepolicedThroughThisProcessTakesEffectAtOnce() {
        ApiKeys keys = new ApiKeyService(storage.apiKeys(), Clock.systemUTC(), Duration.ofHours(1));
        ApiKeys.Issued issued = keys.create("acme", "bot", KeyPolicy.NONE).toCompletableFuture().join();
        assertThat(authenticate(keys, issued.secret()).orElseThrow().policy().rpm()).isZero();

        KeyPolicy limited = new KeyPolicy(Optional.empty(), Optional.empty(), Optional.empty(), 60, 0, java.util.Map.of());
        keys.setPolicy(issued.key().id(), limited).toCompletableFuture().join();
        assertThat(authenticate(keys, issued.secret()).orElseThrow().policy().rpm()).isEqualTo(60);

        keys.revoke(issued.key().id()).toCompletableFuture().join();
        assertThat(authenticate(keys, issued.secret())).isEmpty();
    }

    @Test
    void withoutACacheARevocationElsewhereIsRefusedFromTheNextRequest() {
        ApiKeys keys = new ApiKeyService(storage.apiKeys(), Clock.systemUTC(), Duration.ZERO);
        ApiKeys.Issued issued = keys.create("acme", "bot", KeyPolicy.NONE).toCompletableFuture().join();
        assertThat(authenticate(keys, issued.secret())).isPresent();

        revokeElsewhere(issued.key().id());

        assertThat(authenticate(keys, issued.secret())).isEmpty();
    }
}
