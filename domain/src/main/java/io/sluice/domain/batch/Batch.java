package io.sluice.domain.batch;

import io.sluice.domain.Require;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A batch of chat requests an owner submitted through the Batch API ({@code /v1/batches}), as OpenAI's batch object
 * describes it, and how the gateway runs it.
 * <ul>
 *   <li>{@code apiKeyId}: the gateway key that submitted it (null on an open gateway); its lines are billed to it.</li>
 *   <li>{@code times}: when it reached each status after {@code validating}.</li>
 *   <li>{@code upstreamProvider}: the provider whose own batch API runs it, or null when the gateway runs it, paced;
 *       {@code upstreamId} is that provider's id for it, null until it is submitted there.</li>
 *   <li>{@code reserved}: what was reserved on the owner's budgets when it was submitted (its worst case at batch
 *       prices), settled when it ends.</li>
 *   <li>{@code failure}: why it failed, or null.</li>
 * </ul>
 * Immutable; the {@code with} methods make the next state.
 */
public record Batch(String id, String owner, String apiKeyId, String inputFileId, String endpoint, String completionWindow,
                    Map<String, String> metadata, BatchStatus status, Map<BatchStatus, Instant> times, Instant createdAt, Instant expiresAt,
                    Counts counts, String outputFileId, String errorFileId, String upstreamProvider, String upstreamId, BigDecimal reserved,
                    String failure) {
    /** How many requests the batch holds, and how many have ended well or badly. */
    public record Counts(int total, int completed, int failed) {
        public Counts {
            if (total < 0 || completed < 0 || failed < 0) throw new IllegalArgumentException("request counts must not be negative");
        }
    }

    public Batch {
        Require.nonBlank(id, "id");
        Require.nonBlank(owner, "owner");
        Require.nonBlank(inputFileId, "inputFileId");
        Require.nonBlank(endpoint, "endpoint");
        Require.nonBlank(completionWindow, "completionWindow");
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        Require.nonNull(status, "status");
        times = times == null || times.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new EnumMap<>(times));
        Require.nonNull(createdAt, "createdAt");
        Require.nonNull(expiresAt, "expiresAt");
        Require.nonNull(counts, "counts");
        Require.nonNull(reserved, "reserved");
    }

    /** A new batch id, as OpenAI's: {@code batch_} and 24 hex digits. */
    public static String newId() {
        return "batch_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    /** The batch in {@code next} from {@code at}. */
    public Batch withStatus(BatchStatus next, Instant at) {
        Map<BatchStatus, Instant> reached = new EnumMap<>(BatchStatus.class);
        reached.putAll(times);
        reached.putIfAbsent(next, at);
        return new Batch(id, owner, apiKeyId, inputFileId, endpoint, completionWindow, metadata, next, reached, createdAt, expiresAt, counts,
                outputFileId, errorFileId, upstreamProvider, upstreamId, reserved, failure);
    }

    public Batch withCounts(Counts value) {
        return new Batch(id, owner, apiKeyId, inputFileId, endpoint, completionWindow, metadata, status, times, createdAt, expiresAt, value,
                outputFileId, errorFileId, upstreamProvider, upstreamId, reserved, failure);
    }

    public Batch withFiles(String output, String error) {
        return new Batch(id, owner, apiKeyId, inputFileId, endpoint, completionWindow, metadata, status, times, createdAt, expiresAt, counts,
                output, error, upstreamProvider, upstreamId, reserved, failure);
    }

    public Batch withUpstreamId(String value) {
        return new Batch(id, owner, apiKeyId, inputFileId, endpoint, completionWindow, metadata, status, times, createdAt, expiresAt, counts,
                outputFileId, errorFileId, upstreamProvider, value, reserved, failure);
    }

    /** Run by the gateway after all (its provider refused to run it). */
    public Batch runByGateway() {
        return new Batch(id, owner, apiKeyId, inputFileId, endpoint, completionWindow, metadata, status, times, createdAt, expiresAt, counts,
                outputFileId, errorFileId, null, null, reserved, failure);
    }

    public Batch withFailure(String value) {
        return new Batch(id, owner, apiKeyId, inputFileId, endpoint, completionWindow, metadata, status, times, createdAt, expiresAt, counts,
                outputFileId, errorFileId, upstreamProvider, upstreamId, reserved, value);
    }

    /** When it reached {@code s}, or null. */
    public Instant at(BatchStatus s) {
        return times.get(s);
    }
}
