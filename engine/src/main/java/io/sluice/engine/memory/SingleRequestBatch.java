package io.sluice.engine.memory;

import io.sluice.domain.ChatRequest;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.batch.BatchLine;
import io.sluice.domain.error.Failures;
import io.sluice.domain.error.NonRetriableException;
import io.sluice.domain.error.UpstreamUnavailableException;
import io.sluice.engine.internal.TimeoutScheduler;
import io.sluice.ports.out.UpstreamBatches;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One request sent through a provider's batch API, for work that can wait (a rolling summary): submitted as a batch of
 * one, asked after every {@code poll} until it has ended, and answered with what it came to. Asking fails for good
 * after {@value #MAX_FAILED_POLLS} failed polls in a row, when the provider refuses, or once {@code maxWait} has passed
 * (the batch is then called off).
 */
final class SingleRequestBatch {
    static final int MAX_FAILED_POLLS = 10;
    private static final String CUSTOM_ID = "summary";

    private SingleRequestBatch() {}

    static CompletionStage<ChatResponse> complete(UpstreamBatches api, ChatRequest request, Duration poll, Duration maxWait) {
        CompletableFuture<ChatResponse> answer = new CompletableFuture<>();
        long deadline = System.nanoTime() + maxWait.toNanos();
        api.submit(List.of(new BatchLine(0, CUSTOM_ID, request))).whenComplete((id, error) -> {
            if (error != null) answer.completeExceptionally(error);
            else ask(api, id, poll, deadline, 0, answer);
        });
        return answer;
    }

    private static void ask(UpstreamBatches api, String id, Duration poll, long deadline, int failed, CompletableFuture<ChatResponse> answer) {
        TimeoutScheduler.later(poll, () -> api.state(id).whenComplete((state, error) -> {
            if (error != null) {
                if (Failures.cause(error) instanceof NonRetriableException || failed + 1 >= MAX_FAILED_POLLS) answer.completeExceptionally(error);
                else ask(api, id, poll, deadline, failed + 1, answer);
                return;
            }
            if (!state.ended() && System.nanoTime() > deadline) {
                api.cancel(id);
                answer.completeExceptionally(new UpstreamUnavailableException(0, "The provider's batch did not end in time", null, null));
                return;
            }
            if (!state.ended()) {
                ask(api, id, poll, deadline, 0, answer);
                return;
            }
            api.results(id).whenComplete((outcomes, failure) -> {
                if (failure != null) {
                    answer.completeExceptionally(failure);
                    return;
                }
                outcomes.stream().filter(o -> o.index() == 0 && o.response() != null).findFirst().ifPresentOrElse(
                        o -> answer.complete(o.response()),
                        () -> answer.completeExceptionally(new UpstreamUnavailableException(0, "The provider's batch ended without an answer", null, null)));
            });
        }));
    }
}
