package io.sluice.engine;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Usage;
import io.sluice.domain.keys.ApiKey;
import io.sluice.domain.usage.UsageEntry;
import io.sluice.engine.internal.StreamAccumulator;
import io.sluice.engine.internal.Turn;
import io.sluice.ports.in.ChatCall;
import io.sluice.ports.in.ServedBy;
import io.sluice.ports.out.TokenCounter;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The ledger entry of a call's billed attempt: who, what served it, the tokens (as the upstream reported them or, for
 * a stream cut before its usage, as counted here) and their exact cost. Thread-safe.
 */
final class Billing {
    private final ModelRegistry registry;
    private final TokenCounter tokens;
    private final Clock clock;

    Billing(ModelRegistry registry, TokenCounter tokens, Clock clock) {
        this.registry = registry;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** A call's identity in the ledger: every attempt it bills is an entry under it. */
    record Call(String requestId, ChatCall call, String route, long startNanos) {
        static Call start(ChatCall call, String route) {
            return new Call("req_" + UUID.randomUUID().toString().replace("-", ""), call, route, System.nanoTime());
        }
    }

    UsageEntry entry(Call call, Turn turn, ServedBy by, Usage usage, UsageEntry.Outcome outcome) {
        ModelSpec spec = registry.resolve(by.model()).spec();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - call.startNanos());
        return new UsageEntry(call.requestId(), 1, call.call().caller().owner(),
                call.call().caller().key().map(ApiKey::id).orElse(null), call.call().caller().user(),
                turn.conversationId().map(id -> id.value()).orElse(null), call.route(), by.model(), by.endpoint(), usage,
                spec.prices().cost(usage), millis, outcome, clock.instant());
    }

    /** The usage of a stream: as the upstream reported it, else its prompt and what arrived before the cut, counted here. */
    Usage streamed(int promptTokens, ServedBy by, StreamAccumulator accumulated) {
        if (accumulated.usage() != null) return accumulated.usage();
        ChatMessage partial = accumulated.message();
        int completion = partial.content() == null ? 0 : tokens.countText(partial.content(), registry.resolve(by.model()).spec().encoding());
        return new Usage(promptTokens, completion, 0);
    }
}
