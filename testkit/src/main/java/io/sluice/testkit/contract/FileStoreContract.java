package io.sluice.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.files.StoredFile;
import io.sluice.ports.out.FileStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link FileStore} must do: keep content byte for byte, scope every read to its owner, page newest first. */
public abstract class FileStoreContract {
    protected abstract FileStore store();

    private static String owner() {
        return "owner-" + UUID.randomUUID();
    }

    private StoredFile create(String owner, String purpose, Instant at, byte[] content) {
        StoredFile file = new StoredFile(StoredFile.newId(), owner, purpose, "input.jsonl", content.length, at);
        store().create(file, content).toCompletableFuture().join();
        return file;
    }

    @Test
    void aFileIsKeptByteForByteAndOnlyItsOwnerSeesIt() {
        String owner = owner();
        byte[] content = "{\"custom_id\":\"a\"}\n{\"custom_id\":\"ü–中\"}\n".getBytes(StandardCharsets.UTF_8);
        StoredFile file = create(owner, "batch", Instant.parse("2026-12-03T10:00:00Z"), content);
        assertThat(store().find(owner, file.id()).toCompletableFuture().join()).contains(file);
        assertThat(store().content(owner, file.id()).toCompletableFuture().join()).hasValueSatisfying(c -> assertThat(c).isEqualTo(content));
        assertThat(store().find("someone-else", file.id()).toCompletableFuture().join()).isEmpty();
        assertThat(store().content("someone-else", file.id()).toCompletableFuture().join()).isEmpty();
        assertThat(store().delete("someone-else", file.id()).toCompletableFuture().join()).isFalse();
        assertThat(store().delete(owner, file.id()).toCompletableFuture().join()).isTrue();
        assertThat(store().find(owner, file.id()).toCompletableFuture().join()).isEmpty();
        assertThat(store().delete(owner, file.id()).toCompletableFuture().join()).as("deleted once").isFalse();
    }

    @Test
    void filesArePagedNewestFirstByPurpose() {
        String owner = owner();
        Instant t0 = Instant.parse("2026-12-03T10:00:00Z");
        StoredFile first = create(owner, "batch", t0, new byte[] {1});
        StoredFile second = create(owner, "batch_output", t0.plusSeconds(1), new byte[] {2});
        StoredFile third = create(owner, "batch", t0.plusSeconds(2), new byte[] {3});
        var page = store().list(owner, null, null, 2).toCompletableFuture().join();
        assertThat(page.items()).containsExactly(third, second);
        assertThat(page.hasMore()).isTrue();
        var rest = store().list(owner, null, second.id(), 2).toCompletableFuture().join();
        assertThat(rest.items()).containsExactly(first);
        assertThat(rest.hasMore()).isFalse();
        assertThat(store().list(owner, "batch", null, 10).toCompletableFuture().join().items()).extracting(StoredFile::id)
                .isEqualTo(List.of(third.id(), first.id()));
        assertThat(store().list("someone-else", null, null, 10).toCompletableFuture().join().items()).isEmpty();
    }
}
