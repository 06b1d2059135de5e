package io.sluice.ports.in;

import io.sluice.domain.ChatRequest;
import io.sluice.domain.Require;
import io.sluice.domain.ContextStrategy;
import java.util.Optional;

/**
 * One chat call as the gateway receives it. {@code request.messages()} are the caller's new messages only;
 * for a stored conversation the engine puts the history chosen by {@code contextStrategy} (or the configured
 * default when empty) in front of them. {@code slaTier} names the call's SLA tier ({@code X-SLA-Tier}); empty for the default.
 * {@code clientRetries} is how many times the client already sent this call (its SDK's {@code X-Stainless-Retry-Count}):
 * a retry's upstream failures were counted against the circuits by its first try already. {@code requestId} names the
 * call in its answer's {@code x-request-id}, its bill and the log lines about it. {@code clientGone} says whether the
 * client has hung up: a call whose client left while it waited (for its limits, its budget, a slow store) is not sent
 * upstream. {@code cache} is what the client's {@code Cache-Control} asks of the response cache. {@code priority}: its lane
 * where calls wait (its key's, or its {@code X-Sluice-Priority} where the key allows it). {@code trace}: the caller's
 * trace, which the call's span joins.
 */
public record ChatCall(Caller caller, ConversationRef conversation, ChatRequest request, Optional<ContextStrategy> contextStrategy,
                       Optional<String> slaTier, int clientRetries, String requestId, java.util.function.BooleanSupplier clientGone,
                       CacheDirective cache, io.sluice.domain.limits.Priority priority, io.sluice.ports.out.TraceHeaders trace) {
    public ChatCall {
        Require.nonNull(caller, "caller");
        Require.nonNull(conversation, "conversation");
        Require.nonNull(request, "request");
        contextStrategy = contextStrategy == null ? Optional.empty() : contextStrategy;
        slaTier = slaTier == null ? Optional.empty() : slaTier;
        if (clientRetries < 0) throw new IllegalArgumentException("'clientRetries' must not be negative");
        requestId = requestId == null ? newRequestId() : requestId;
        clientGone = clientGone == null ? () -> false : clientGone;
        cache = cache == null ? CacheDirective.DEFAULT : cache;
        priority = priority == null ? caller.policy().priority() : priority;
        trace = trace == null ? io.sluice.ports.out.TraceHeaders.NONE : trace;
    }

    public ChatCall(Caller caller, ConversationRef conversation, ChatRequest request, Optional<ContextStrategy> contextStrategy,
                    Optional<String> slaTier, int clientRetries, String requestId, java.util.function.BooleanSupplier clientGone,
                    CacheDirective cache, io.sluice.domain.limits.Priority priority) {
        this(caller, conversation, request, contextStrategy, slaTier, clientRetries, requestId, clientGone, cache, priority, io.sluice.ports.out.TraceHeaders.NONE);
    }

    public ChatCall(Caller caller, ConversationRef conversation, ChatRequest request, Optional<ContextStrategy> contextStrategy,
                    Optional<String> slaTier, int clientRetries, String requestId, java.util.function.BooleanSupplier clientGone,
                    CacheDirective cache) {
        this(caller, conversation, request, contextStrategy, slaTier, clientRetries, requestId, clientGone, cache, null);
    }

    public ChatCall(Caller caller, ConversationRef conversation, ChatRequest request, Optional<ContextStrategy> contextStrategy,
                    Optional<String> slaTier, int clientRetries, String requestId, java.util.function.BooleanSupplier clientGone) {
        this(caller, conversation, request, contextStrategy, slaTier, clientRetries, requestId, clientGone, CacheDirective.DEFAULT);
    }

    public ChatCall(Caller caller, ConversationRef conversation, ChatRequest request, Optional<ContextStrategy> contextStrategy,
                    Optional<String> slaTier, int clientRetries) {
        this(caller, conversation, request, contextStrategy, slaTier, clientRetries, null, null);
    }

    /** A new request id: {@code req_} and 32 hex digits, as OpenAI's. */
    public static String newRequestId() {
        return "req_" + java.util.UUID.randomUUID().toString().replace("-", "");
    }

    public ChatCall(Caller caller, ConversationRef conversation, ChatRequest request, Optional<ContextStrategy> contextStrategy,
                    Optional<String> slaTier) {
        this(caller, conversation, request, contextStrategy, slaTier, 0);
    }

    public ChatCall(Caller caller, ConversationRef conversation, ChatRequest request) {
        this(caller, conversation, request, Optional.empty(), Optional.empty());
    }
}
