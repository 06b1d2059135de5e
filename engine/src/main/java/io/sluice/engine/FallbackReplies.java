package io.sluice.engine;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.Usage;
import io.sluice.domain.error.Failures;
import io.sluice.domain.sla.FallbackReply;
import io.sluice.engine.internal.ReplayPublisher;
import io.sluice.ports.in.CallTimings;
import io.sluice.ports.in.ChatResult;
import io.sluice.ports.in.ServedBy;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The stage that answers a call that could not be served with its API key's fallback reply or, when the key has none
 * that covers the failure, its route's ({@link FallbackReply}): as a normal answer, plain or streamed, with {@code finish_reason:
 * stop}, served by {@link #ENDPOINT} (the server says so in {@code X-Sluice-Fallback: reply}), billed at zero as
 * {@code FALLBACK_REPLY} and stored marked as such. The text is chosen by the conversation's {@code locale}
 * metadata, else the key's locale. Thread-safe.
 */
final class FallbackReplies {
    /** Where a fallback reply says it was served from (the ledger's endpoint, and what the server tells the client). */
    static final String ENDPOINT = ServedBy.FALLBACK_REPLY;
    /** The conversation metadata keys that name its language, first found wins. */
    private static final String[] LOCALE_KEYS = {"locale", "language"};

    private final Map<String, FallbackReply> byRoute;
    private final Clock clock;

    FallbackReplies(Map<String, FallbackReply> byRoute, Clock clock) {
        this.byRoute = Map.copyOf(byRoute);
        this.clock = clock;
    }

    /**
     * The reply for a call that failed with {@code error}, if its key's reply, else its route's, covers it and the call
     * has a turn to end.
     */
    Optional<String> textFor(Call call, Throwable error) {
        if (call.plan() == null) return Optional.empty();
        Throwable cause = Failures.cause(error);
        var policy = call.request.caller().policy();
        Optional<FallbackReply> reply = policy.fallbackReply().filter(r -> r.covers(cause))
                .or(() -> Optional.ofNullable(call.route() == null ? null : byRoute.get(call.route())).filter(r -> r.covers(cause)));
        return reply.map(r -> r.text(locale(call).orElse(policy.locale().orElse(null))));
    }

    /** Answers {@code call} with its route's fallback reply, or passes {@code error} on when it has none that covers it. */
    CompletionStage<ChatResult> complete(Call call, Throwable error) {
        Optional<String> text = textFor(call, error);
        if (text.isEmpty()) return CompletableFuture.failedFuture(Failures.cause(error));
        long start = System.nanoTime();
        ChatMessage reply = ChatMessage.assistant(text.get());
        ServedBy by = servedBy(call);
        ChatResponse response = new ChatResponse(call.answerId(), by.model(), clock.instant().getEpochSecond(),
                reply, "stop", Usage.ZERO);
        return call.end(Call.Outcome.FALLBACK_REPLY, new Delivery(by, reply, Usage.ZERO)).thenApply(stored -> new ChatResult(response,
                call.plan().turn().conversationId(), by, new CallTimings(0, System.nanoTime() - start), BigDecimal.ZERO));
    }

    /** The fallback reply as a stream: a role chunk, the text, {@code stop} and a zero usage. */
    Flow.Publisher<ChatChunk> stream(Call call, String text) {
        return ReplayPublisher.of(call.answerId(), servedBy(call).model(), clock.instant().getEpochSecond(),
                ChatMessage.assistant(text), "stop", Usage.ZERO);
    }

    /** What serves a fallback reply: the name the caller asked for, from {@link #ENDPOINT}. */
    static ServedBy servedBy(Call call) {
        return new ServedBy(call.request.request().model(), ENDPOINT, 0);
    }

    /** The language the call's conversation names, if any. */
    private static Optional<String> locale(Call call) {
        var conversation = call.plan().turn().conversation();
        if (conversation == null) return Optional.empty();
        for (String key : LOCALE_KEYS) {
            String value = conversation.metadata().get(key);
            if (value != null && !value.isBlank()) return Optional.of(value);
        }
        return Optional.empty();
    }
}
