package io.sluice.ports.in;

import io.sluice.domain.files.StoredFile;
import io.sluice.ports.out.Page;
import java.util.concurrent.CompletionStage;

/**
 * The Files API: an owner uploads files (Batch API inputs), reads them back, lists and deletes them. Every call is
 * scoped to the owner: another owner's file fails with {@link io.sluice.domain.error.FileNotFoundException}.
 */
public interface Files {
    /** The purposes a client may upload a file for: {@code batch} (a Batch API input) and {@code user_data}. */
    java.util.Set<String> UPLOAD_PURPOSES = java.util.Set.of("batch", "user_data");

    CompletionStage<StoredFile> upload(String owner, String purpose, String filename, byte[] content);

    CompletionStage<StoredFile> get(String owner, String id);

    CompletionStage<byte[]> content(String owner, String id);

    CompletionStage<Page<StoredFile>> list(String owner, String purpose, String after, int limit);

    CompletionStage<Void> delete(String owner, String id);
}
