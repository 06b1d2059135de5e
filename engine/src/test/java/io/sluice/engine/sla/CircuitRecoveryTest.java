package io.sluice.engine.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.Usage;
import io.sluice.domain.error.UpstreamUnavailableException;
import io.sluice.domain.sla.CircuitSettings;
import io.sluice.domain.sla.RetrySettings;
import io.sluice.domain.sla.SlaTier;
import io.sluice.ports.out.LlmProvider;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A circuit opens when a share of a window's attempts failed, lets nothing through while open, and closes again after a
 * half-open probe succeeds; a run of failures among many successes does not open it.
 */
class CircuitRecoveryTest {
    private final AtomicBoolean broken = new AtomicBoolean(true);
    private final AtomicInteger calls = new AtomicInteger();

    private final LlmProvider flaky = new LlmProvider() {
        public String name() {
            return "flaky";
        }

        public CompletionStage<ChatResponse> complete(ChatRequest request) {
            calls.incrementAndGet();
            if (broken.get()) return CompletableFuture.failedFuture(new UpstreamUnavailableException(500, "boom", null, null));
            return CompletableFuture.completedFuture(new ChatResponse("id", "m", 0, ChatMessage.assistant("ok"), "stop", Usage.ZERO));
        }

        public Flow.Publisher<ChatChunk> stream(ChatRequest request) {
            throw new UnsupportedOperationException();
        }
    };

    @Test
    void opensThenRecoversThroughAHalfOpenProbe() {
        Circuits circuits = new Circuits(new CircuitSettings(50, 3, Duration.ofSeconds(10), 1, Duration.ofMillis(300)));
        ResilientCaller caller = singleAttempt(circuits);

        for (int i = 0; i < 3; i++) assertThat(outcome(caller)).isEqualTo("failed");
        assertThat(circuits.states()).containsEntry("m @ e", "open");
        int before = calls.get();
        for (int i = 0; i < 5; i++) assertThat(outcome(caller)).isEqualTo("failed");
        assertThat(calls.get()).as("no traffic to an open circuit").isEqualTo(before);

        broken.set(false);
        // calls keep failing fast while the circuit is open; once its 300 ms are over, the half-open probe succeeds
        await().atMost(Duration.ofSeconds(3)).until(() -> outcome(caller).equals("ok"));
        assertThat(circuits.states()).containsEntry("m @ e", "closed");
        assertThat(outcome(caller)).isEqualTo("ok");
    }

    @Test
    void aRunOfFailuresAmongManySuccessesLeavesABusyEndpointsCircuitClosed() {
        Circuits circuits = new Circuits(CircuitSettings.DEFAULTS);
        ResilientCaller caller = singleAttempt(circuits);

        broken.set(false);
        for (int i = 0; i < 100; i++) assertThat(outcome(caller)).isEqualTo("ok");
        broken.set(true); // a blip: twice the minimum of failures in a row, a few milliseconds at a thousand calls a second
        for (int i = 0; i < 2 * CircuitSettings.DEFAULTS.minimumCalls(); i++) assertThat(outcome(caller)).isEqualTo("failed");
        assertThat(circuits.states()).as("20 failures of 120 attempts are under half").containsEntry("m @ e", "closed");

        for (int i = 0; i < 100; i++) outcome(caller); // the endpoint goes down for good
        assertThat(circuits.states()).as("120 failures of 220 attempts are over half").containsEntry("m @ e", "open");
        assertThat(calls.get()).as("the open circuit took none of the last calls").isLessThan(220);
    }

    @Test
    void aQuietEndpointsCircuitWaitsForTheMinimumOfCallsBeforeJudgingIt() {
        Circuits circuits = new Circuits(CircuitSettings.DEFAULTS);
        ResilientCaller caller = singleAttempt(circuits);

        for (int i = 1; i < CircuitSettings.DEFAULTS.minimumCalls(); i++) assertThat(outcome(caller)).isEqualTo("failed");
        assertThat(circuits.states()).containsEntry("m @ e", "closed");
        assertThat(outcome(caller)).isEqualTo("failed");
        assertThat(circuits.states()).as("10 failures of 10 attempts").containsEntry("m @ e", "open");
    }

    private static ResilientCaller singleAttempt(Circuits circuits) {
        return new ResilientCaller(circuits, new RetrySettings(1, Duration.ZERO, Duration.ZERO, Duration.ZERO));
    }

    /** One call of model m to endpoint e (the flaky upstream), with no retry. */
    private String outcome(ResilientCaller caller) {
        try {
            caller.complete("m", List.of(new Endpoint("e", 1, List.of(new UpstreamKey("e", flaky, 0)))),
                    new ChatRequest("m", List.of(ChatMessage.user("hi")), null), SlaTier.NORMAL).toCompletableFuture().join();
            return "ok";
        } catch (RuntimeException e) {
            return "failed";
        }
    }
}
