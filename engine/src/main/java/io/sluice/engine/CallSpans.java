package io.sluice.engine;

import io.sluice.domain.error.Failures;
import io.sluice.domain.usage.UsageEntry;
import io.sluice.ports.in.ChatCall;
import io.sluice.ports.out.CallTracer;
import io.sluice.ports.out.TraceSpan;
import java.util.Locale;

/**
 * What a call's spans say, named as OpenTelemetry's GenAI semantic conventions name it ({@code gen_ai.*}), with the
 * gateway's own attributes under {@code sluice.*}: its request as it opened, its context once built, its usage,
 * cost and outcome as it ended. Stateless.
 */
final class CallSpans {
    private CallSpans() {}

    /** The span of a chat call, named {@code chat <model>} as the conventions ask, with what the caller asked. */
    static TraceSpan open(CallTracer tracer, ChatCall request) {
        try {
            return start(tracer, request);
        } catch (RuntimeException e) { // the call goes on untraced
            System.getLogger(CallSpans.class.getName()).log(System.Logger.Level.WARNING, "call span not started: " + Failures.describe(e));
            return TraceSpan.NONE;
        }
    }

    private static TraceSpan start(CallTracer tracer, ChatCall request) {
        String model = request.request().model();
        TraceSpan span = tracer.start("chat " + model, request.trace());
        span.attribute("gen_ai.operation.name", "chat").attribute("gen_ai.request.model", model)
                .attribute("sluice.request_id", request.requestId()).attribute("sluice.owner", request.caller().owner())
                .attribute("user.id", request.caller().user());
        Integer maxTokens = request.request().options().maxTokens();
        if (maxTokens != null) span.attribute("gen_ai.request.max_tokens", maxTokens);
        if (request.request().options().n() != null) span.attribute("gen_ai.request.choice.count", request.request().options().choices());
        return span;
    }

    /** A stage of the call inside the gateway. */
    static TraceSpan stage(Call call, String name) {
        return call.span.child(name, TraceSpan.Kind.INTERNAL);
    }

    /** The context stage's span, ended with what was built: the strategy, the messages sent and their tokens. */
    static void contextBuilt(TraceSpan span, CallPlan plan) {
        var turn = plan.turn();
        turn.conversationId().ifPresent(id -> span.attribute("gen_ai.conversation.id", id.value()));
        if (turn.strategy() != null) span.attribute("sluice.context.strategy", turn.strategy().toString());
        span.attribute("sluice.context.messages", turn.context().size());
        if (turn.promptTokens() != io.sluice.engine.memory.Turn.UNCOUNTED) span.attribute("sluice.context.prompt_tokens", turn.promptTokens());
        span.attribute("sluice.context.cached", turn.snapshot() != null);
        span.end();
    }

    /** The call's span once it is over: who served it, what it used and cost, how it ended; then ended. Never throws. */
    static void ended(Call call, Call.Outcome outcome, UsageEntry bill) {
        try {
            end(call, outcome, bill);
        } catch (RuntimeException e) { // a tracer's fault must not fail a call that was answered and billed
            System.getLogger(CallSpans.class.getName()).log(System.Logger.Level.WARNING, "call span not ended: " + Failures.describe(e));
        }
    }

    private static void end(Call call, Call.Outcome outcome, UsageEntry bill) {
        TraceSpan span = call.span;
        span.attribute("sluice.outcome", outcome.name().toLowerCase(Locale.ROOT));
        if (call.route() != null) span.attribute("sluice.route", call.route());
        if (call.plan() != null) call.plan().turn().conversationId().ifPresent(id -> span.attribute("gen_ai.conversation.id", id.value()));
        if (bill != null) {
            span.attribute("gen_ai.response.model", bill.model()).attribute("sluice.endpoint", bill.endpoint())
                    .attribute("gen_ai.usage.input_tokens", bill.usage().promptTokens())
                    .attribute("gen_ai.usage.output_tokens", bill.usage().completionTokens())
                    // a decimal string: a double would round the exact bill
                    .attribute("sluice.cost_usd", bill.cost().toPlainString());
            if (bill.usage().cachedPromptTokens() > 0) span.attribute("gen_ai.usage.cache_read.input_tokens", bill.usage().cachedPromptTokens());
        }
        if (call.failure() != null) span.failed(errorType(call.failure()));
        else if (outcome == Call.Outcome.CANCELLED) span.failed("cancelled");
        span.end();
    }

    /** A call refused before it opened (an unknown model, a bad route): its span says why, and ends. */
    static void refused(TraceSpan span, Throwable error) {
        span.attribute("sluice.outcome", "refused");
        span.failed(errorType(error));
        span.end();
    }

    /** {@code error.type}: the failure's class, low in cardinality as the conventions ask. */
    static String errorType(Throwable error) {
        return Failures.cause(error).getClass().getSimpleName();
    }
}
