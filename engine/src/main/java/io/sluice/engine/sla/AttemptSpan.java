package io.sluice.engine.sla;

import io.sluice.ports.out.TraceSpan;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The span of one upstream attempt, a client span under the call's, named {@code chat <upstream model>} as the GenAI
 * conventions name a model call: the endpoint and key it went to, why it is a retry (the retry table's class of the
 * failure before it), and how it went. For a stream it covers the attempt up to its first chunk, the part failover
 * decides on. Used by one attempt.
 */
final class AttemptSpan {
    private final TraceSpan span;

    private AttemptSpan(TraceSpan span) {
        this.span = span;
    }

    static AttemptSpan start(CallAttempts call, CallAttempts.Choice choice) {
        ResilientCaller.Candidate candidate = call.candidates.get(choice.candidate());
        String upstreamModel = candidate.request() != null ? candidate.request().model() : candidate.model();
        TraceSpan span = call.span.child("chat " + upstreamModel, TraceSpan.Kind.CLIENT)
                .attribute("gen_ai.operation.name", "chat")
                .attribute("gen_ai.provider.name", choice.key().provider().system())
                .attribute("gen_ai.request.model", upstreamModel)
                .attribute("sluice.model", candidate.model())
                .attribute("sluice.endpoint", choice.endpoint().name())
                .attribute("sluice.upstream_key", choice.key().label())
                .attribute("sluice.attempt", call.attempts);
        if (call.last != null) span.attribute("sluice.retry.reason", ResilientCaller.retryReason(call.last));
        return new AttemptSpan(span);
    }

    /** {@code send} with this attempt's span current while it sends: the upstream request carries it as its {@code traceparent}. */
    <T> Function<CallAttempts.Choice, CompletionStage<T>> sending(Function<CallAttempts.Choice, CompletionStage<T>> send) {
        return choice -> {
            try (TraceSpan.Scope scope = span.current()) {
                return send.apply(choice);
            }
        };
    }

    /** The attempt is over: answered ({@code error} null), failed, called off, or out of time. Never throws. */
    void ended(CallAttempts call, Throwable error) {
        try {
            end(call, error);
        } catch (RuntimeException e) { // the attempt's outcome goes on to its call whatever the tracer does
            System.getLogger(AttemptSpan.class.getName()).log(System.Logger.Level.WARNING, "attempt span not ended: " + e.getClass().getSimpleName());
        }
    }

    private void end(CallAttempts call, Throwable error) {
        if (error == null) {
            span.attribute("sluice.attempt.outcome", "answered");
        } else {
            Throwable cause = io.sluice.domain.error.Failures.cause(error);
            boolean calledOff = call.isAbandoned() || cause instanceof CancellationException;
            String outcome = calledOff ? "called_off" : cause instanceof TimeoutException ? "timeout" : "failed";
            span.attribute("sluice.attempt.outcome", outcome);
            if (!calledOff) span.failed(cause instanceof TimeoutException ? "timeout" : ResilientCaller.errorType(cause));
        }
        span.end();
    }
}
