package io.sluice.domain.batch;

import io.sluice.domain.ChatRequest;
import io.sluice.domain.Require;

/**
 * One request of a batch's input file: its place in the file (from 0), the caller's {@code custom_id} for it, and the
 * chat request it makes. Immutable.
 */
public record BatchLine(int index, String customId, ChatRequest request) {
    public BatchLine {
        if (index < 0) throw new IllegalArgumentException("'index' must not be negative");
        Require.nonBlank(customId, "customId");
        Require.nonNull(request, "request");
    }
}
