package io.sluice.ports.in;

import io.sluice.domain.EmbeddingRequest;
import io.sluice.domain.EmbeddingResponse;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The embeddings use case: a call is admitted within its rate limits and budgets, served by the model's endpoints and
 * keys under the SLA policy (failover, circuits, retries), billed in the ledger and settled like a chat call.
 * Thread-safe; failures complete the stage with a {@link io.sluice.domain.error.SluiceException}.
 */
public interface Embeddings {
    /** One embeddings call; the fields mean what they mean on {@link ChatCall}. */
    record EmbeddingCall(Caller caller, EmbeddingRequest request, Optional<String> slaTier, int clientRetries, String requestId) {
        public EmbeddingCall {
            slaTier = slaTier == null ? Optional.empty() : slaTier;
            requestId = requestId == null ? ChatCall.newRequestId() : requestId;
        }
    }

    /** The answer, and which model and endpoint gave it. */
    record EmbeddingResult(EmbeddingResponse response, ServedBy servedBy) {}

    CompletionStage<EmbeddingResult> embed(EmbeddingCall call);
}
