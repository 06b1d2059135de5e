package io.sluice.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ports.out.UpstreamKeyStore;
import io.sluice.ports.out.UpstreamKeyStore.StoredKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link UpstreamKeyStore} must do: keep a sealed key whole until it is deleted, once. */
public abstract class UpstreamKeyStoreContract {
    protected abstract UpstreamKeyStore store();

    @Test
    void aKeyIsKeptAsSealedUntilItIsDeletedOnce() {
        String endpoint = "openai-" + UUID.randomUUID();
        StoredKey key = new StoredKey(endpoint, endpoint + "#r1a2b3c", "v1:" + "A".repeat(120), 500, 90_000, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        store().save(key).toCompletableFuture().join();
        assertThat(store().all().toCompletableFuture().join()).contains(key);
        assertThat(store().delete(endpoint, "someone-else").toCompletableFuture().join()).isFalse();
        assertThat(store().delete(endpoint, key.label()).toCompletableFuture().join()).isTrue();
        assertThat(store().delete(endpoint, key.label()).toCompletableFuture().join()).as("deleted once").isFalse();
        assertThat(store().all().toCompletableFuture().join()).doesNotContain(key);
    }

    @Test
    void eachEnablingIsCountedOnceEvenWhenTwoReplicasEnableTheSameKeyAtOnce() {
        String endpoint = "openai-" + UUID.randomUUID();
        store().enable(endpoint, endpoint + "#1").toCompletableFuture().join();
        java.util.List<java.util.concurrent.CompletableFuture<Void>> together = java.util.stream.IntStream.range(0, 4)
                .mapToObj(i -> store().enable(endpoint, endpoint + "#2").toCompletableFuture()).toList();
        together.forEach(java.util.concurrent.CompletableFuture::join);
        assertThat(store().enabled().toCompletableFuture().join().stream().filter(e -> e.endpoint().equals(endpoint)))
                .containsExactlyInAnyOrder(new io.sluice.ports.out.UpstreamKeyStore.Enabled(endpoint, endpoint + "#1", 1),
                        new io.sluice.ports.out.UpstreamKeyStore.Enabled(endpoint, endpoint + "#2", 4));
    }
}
