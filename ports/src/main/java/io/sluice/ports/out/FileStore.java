package io.sluice.ports.out;

import io.sluice.domain.files.StoredFile;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where the Files API keeps what owners upload: each file's description and its content. Every read is scoped to an
 * owner: another owner's file is not found. Implementations are thread-safe and complete asynchronously.
 */
public interface FileStore {
    CompletionStage<Void> create(StoredFile file, byte[] content);

    CompletionStage<Optional<StoredFile>> find(String owner, String id);

    /** The file's content; empty when the file is not the owner's, or gone. */
    CompletionStage<Optional<byte[]>> content(String owner, String id);

    /** The owner's files, newest first, of one purpose when {@code purpose} is not null, after the file {@code after} (null: from the newest). */
    CompletionStage<Page<StoredFile>> list(String owner, String purpose, String after, int limit);

    /** Deletes the file and its content; false when it was not the owner's. */
    CompletionStage<Boolean> delete(String owner, String id);
}
