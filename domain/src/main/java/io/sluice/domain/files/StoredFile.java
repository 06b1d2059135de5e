package io.sluice.domain.files;

import io.sluice.domain.Require;
import java.time.Instant;

/**
 * A file an owner uploaded through the Files API ({@code /v1/files}), as OpenAI's file object describes it: its id
 * ({@code file-} and 24 hex digits), its purpose ({@code batch} for a Batch API input, {@code batch_output} for what a
 * batch wrote), its name as uploaded, its size in bytes and when it was created. Its content is kept apart. Immutable.
 */
public record StoredFile(String id, String owner, String purpose, String filename, long bytes, Instant createdAt) {
    /** The longest file name kept, as uploaded; a longer one is cut. */
    public static final int MAX_FILENAME = 255;

    public StoredFile {
        Require.nonBlank(id, "id");
        Require.nonBlank(owner, "owner");
        Require.nonBlank(purpose, "purpose");
        filename = filename == null || filename.isBlank() ? "upload" : filename.length() > MAX_FILENAME ? filename.substring(0, MAX_FILENAME) : filename;
        if (bytes < 0) throw new IllegalArgumentException("'bytes' must not be negative");
        Require.nonNull(createdAt, "createdAt");
    }

    /** A new file id, as OpenAI's: {@code file-} and 24 hex digits. */
    public static String newId() {
        return "file-" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }
}
