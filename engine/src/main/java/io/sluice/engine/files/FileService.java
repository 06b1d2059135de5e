package io.sluice.engine.files;

import io.sluice.domain.error.FileNotFoundException;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.domain.files.StoredFile;
import io.sluice.ports.in.Files;
import io.sluice.ports.out.FileStore;
import io.sluice.ports.out.Page;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The Files API over a {@link FileStore}: names each upload, checks its purpose, and scopes every read to its owner. Thread-safe. */
public final class FileService implements Files {
    private final FileStore store;
    private final Clock clock;

    public FileService(FileStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public CompletionStage<StoredFile> upload(String owner, String purpose, String filename, byte[] content) {
        if (purpose == null || !UPLOAD_PURPOSES.contains(purpose)) {
            return CompletableFuture.failedFuture(new InvalidRequestException("'purpose' must be one of " + new java.util.TreeSet<>(UPLOAD_PURPOSES)
                    + " on this gateway", "purpose"));
        }
        StoredFile file = new StoredFile(StoredFile.newId(), owner, purpose, filename, content.length, clock.instant());
        return store.create(file, content).thenApply(done -> file);
    }

    @Override
    public CompletionStage<StoredFile> get(String owner, String id) {
        return store.find(owner, id).thenApply(found -> found.orElseThrow(() -> new FileNotFoundException(id)));
    }

    @Override
    public CompletionStage<byte[]> content(String owner, String id) {
        return store.content(owner, id).thenApply(found -> found.orElseThrow(() -> new FileNotFoundException(id)));
    }

    @Override
    public CompletionStage<Page<StoredFile>> list(String owner, String purpose, String after, int limit) {
        return store.list(owner, purpose, after, limit);
    }

    @Override
    public CompletionStage<Void> delete(String owner, String id) {
        return store.delete(owner, id).thenApply(deleted -> {
            if (!deleted) throw new FileNotFoundException(id);
            return null;
        });
    }
}
