package io.sluice.domain.batch;

import io.sluice.domain.Require;

/**
 * What one request of a batch came to: its line of the output file ({@code ok}) or of the error file, as written, in
 * the Batch API's shape. Kept as each request ends, so that a batch resumed after a restart runs only what has not
 * ended. Immutable.
 */
public record BatchLineResult(int index, String customId, boolean ok, String line) {
    public BatchLineResult {
        if (index < 0) throw new IllegalArgumentException("'index' must not be negative");
        Require.nonBlank(customId, "customId");
        Require.nonBlank(line, "line");
    }
}
