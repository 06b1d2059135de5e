package io.sluice.engine.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.Usage;
import io.sluice.domain.error.NoUpstreamAvailableException;
import io.sluice.domain.error.UpstreamRateLimitedException;
import io.sluice.domain.error.UpstreamUnavailableException;
import io.sluice.domain.sla.CircuitSettings;
import io.sluice.domain.sla.RetrySettings;
import io.sluice.domain.sla.SlaTier;
import io.sluice.ports.out.LlmProvider;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Chains, token budgets and tier timeouts in the attempt loop, with in-process upstreams. */
class ResilientCallerTest {
    private static final ChatRequest REQUEST = new ChatRequest("m", List.of(ChatMessage.user("hi")), null);

    /** An upstream that answers as told and remembers each call's connect timeout. */
    private static final class Upstream implements LlmProvider {
        final String name;
        final Supplier<CompletionStage<ChatResponse>> answer;
        final List<Duration> connectTimeouts = new CopyOnWriteArrayList<>();

        Upstream(String name, Supplier<CompletionStage<ChatResponse>> answer) {
            this.name = name;
            this.answer = answer;
        }

        static Upstream answering(String name, int totalTokens) {
            return new Upstream(name, () -> CompletableFuture.completedFuture(new ChatResponse("id", name, 0, ChatMessage.assistant("ok"), "stop",
                    new Usage(totalTokens / 2, totalTokens - totalTokens / 2, 0))));
        }

        public String name() {
            return name;
        }

        public CompletionStage<ChatResponse> complete(ChatRequest request) {
            return complete(request, null);
        }

        @Override
        public CompletionStage<ChatResponse> complete(ChatRequest request, Duration connectTimeout) {
            connectTimeouts.add(connectTimeout);
            return answer.get();
        }

        public Flow.Publisher<ChatChunk> stream(ChatRequest request) {
            throw new UnsupportedOperationException();
        }
    }

    private final ResilientCaller caller = new ResilientCaller(new Circuits(CircuitSettings.DEFAULTS), RetrySettings.DEFAULTS);

    private ResilientCaller.Served<ChatResponse> call(List<ResilientCaller.Candidate> chain, SlaTier tier, long tokens) {
        try {
            return caller.complete(chain, tier, () -> tokens).toCompletableFuture().join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    @Test
    void aKeyOverItsTokenBudgetIsSkippedAndTheReportedUsageFreesIt() {
        Upstream one = Upstream.answering("one", 500);
        Upstream two = Upstream.answering("two", 500);
        Endpoint endpoint = new Endpoint("e", 1, List.of(new UpstreamKey("k1", one, 0, 1_000), new UpstreamKey("k2", two, 0, 1_000)));
        List<ResilientCaller.Candidate> chain = List.of(new ResilientCaller.Candidate("m", List.of(endpoint), REQUEST));

        call(chain, SlaTier.FAST, 900);
        call(chain, SlaTier.FAST, 900);
        assertThat(one.connectTimeouts).hasSize(1);
        assertThat(two.connectTimeouts).hasSize(1);
        // each key has 500 used of 1000 (its usage replaced the 900 estimate): a 400-token call fits, a 900-token one does not
        call(chain, SlaTier.FAST, 400);
        call(chain, SlaTier.FAST, 400);
        assertThatThrownBy(() -> call(chain, SlaTier.FAST, 900)).isInstanceOf(NoUpstreamAvailableException.class);
        assertThat(one.connectTimeouts.size() + two.connectTimeouts.size()).as("nothing sent on a key over its budget").isEqualTo(4);
    }

    @Test
    void aModelWithNoFreeKeyFallsToTheNextAtOnceAndEachAttemptGetsTheTiersConnectTimeout() {
        Upstream limited = new Upstream("limited", () -> CompletableFuture.failedFuture(
                new UpstreamRateLimitedException("slow down", Duration.ofSeconds(30))));
        Upstream backup = Upstream.answering("backup", 10);
        List<ResilientCaller.Candidate> chain = List.of(
                new ResilientCaller.Candidate("big", List.of(new Endpoint("a", 1, List.of(new UpstreamKey("ka", limited, 0)))), REQUEST),
                new ResilientCaller.Candidate("small", List.of(new Endpoint("b", 1, List.of(new UpstreamKey("kb", backup, 0)))), REQUEST));

        long start = System.nanoTime();
        ResilientCaller.Served<ChatResponse> first = call(chain, SlaTier.NORMAL, 0);
        ResilientCaller.Served<ChatResponse> second = call(chain, SlaTier.NORMAL, 0);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no wait for the cooling key").isLessThan(Duration.ofSeconds(1));

        assertThat(first.by().model()).isEqualTo("small");
        assertThat(first.by().fallbacks()).isEqualTo(1);
        assertThat(second.by().model()).isEqualTo("small");
        assertThat(limited.connectTimeouts).as("the cooling key got no second request").hasSize(1);
        assertThat(backup.connectTimeouts).containsOnly(SlaTier.NORMAL.connectTimeout());
    }

    @Test
    void aDeadlinePassingDuringARetryFailsTheCallWithTheUpstreamErrorSeenBeforeIt() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        Upstream failingThenHanging = new Upstream("e", () -> calls.getAndIncrement() == 0
                ? CompletableFuture.failedFuture(new io.sluice.domain.error.UpstreamUnavailableException(502, "bad gateway", null, null))
                : new CompletableFuture<>());
        SlaTier tier = new SlaTier("short", Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(300));
        List<ResilientCaller.Candidate> chain = List.of(new ResilientCaller.Candidate("m",
                List.of(new Endpoint("e", 1, List.of(new UpstreamKey("k", failingThenHanging, 0)))), REQUEST));

        assertThatThrownBy(() -> call(chain, tier, 0)).as("the 502, not the timeout of the retry that was still waiting")
                .isInstanceOf(io.sluice.domain.error.UpstreamUnavailableException.class).hasMessageContaining("bad gateway");
        assertThat(calls.get()).as("it was retried").isEqualTo(2);
    }

    @Test
    void callsQueuedForAConcurrencyPermitPastTheirDeadlineDoNotCountAgainstTheEndpointsCircuit() {
        Circuits circuits = new Circuits(CircuitSettings.DEFAULTS);
        ResilientCaller gated = new ResilientCaller(circuits, RetrySettings.DEFAULTS);
        Upstream hanging = new Upstream("hanging", CompletableFuture::new); // holds the one permit for good
        Endpoint endpoint = new Endpoint("e", 1, List.of(new UpstreamKey("k", hanging, 0)), new AdaptiveConcurrency("e", 1, 1, 100));
        SlaTier tier = new SlaTier("short", Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(200));
        List<ResilientCaller.Candidate> chain = List.of(new ResilientCaller.Candidate("m", List.of(endpoint), REQUEST));

        List<CompletableFuture<ResilientCaller.Served<ChatResponse>>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 1 + 2 * CircuitSettings.DEFAULTS.minimumCalls(); i++) {
            calls.add(gated.complete(chain, tier, () -> 0).toCompletableFuture());
        }
        for (CompletableFuture<ResilientCaller.Served<ChatResponse>> c : calls) {
            assertThatThrownBy(c::join).hasCauseInstanceOf(io.sluice.domain.error.UpstreamTimeoutException.class);
        }
        assertThat(hanging.connectTimeouts).as("only the first call reached the upstream").hasSize(1);
        assertThat(circuits.states()).as("one real timeout, the rest never sent").containsEntry("m @ e", "closed");
        // a call's deadline fails the call first and withdraws its wait just after, so the gauge may lag by a moment
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(endpoint.concurrency().orElseThrow().queued()).as("the queue is left empty").isZero());
    }

    @Test
    void aHalfOpenCircuitsTrialCallQueuedPastItsDeadlineHandsItsPermitBackSoTheCircuitCannotStickHalfOpen() {
        CircuitSettings settings = new CircuitSettings(50, 10, Duration.ofSeconds(10), 2, Duration.ofMillis(100));
        Circuits circuits = new Circuits(settings);
        ResilientCaller gated = new ResilientCaller(circuits, RetrySettings.DEFAULTS);
        Upstream hanging = new Upstream("hanging", CompletableFuture::new); // holds the one concurrency permit for good
        Endpoint endpoint = new Endpoint("e", 1, List.of(new UpstreamKey("k", hanging, 0)), new AdaptiveConcurrency("e", 1, 1, 100));
        SlaTier tier = new SlaTier("short", Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofMillis(100));
        List<ResilientCaller.Candidate> chain = List.of(new ResilientCaller.Candidate("m", List.of(endpoint), REQUEST));
        assertThatThrownBy(() -> gated.complete(chain, tier, () -> 0).toCompletableFuture().join()).as("the call that holds the permit")
                .hasCauseInstanceOf(io.sluice.domain.error.UpstreamTimeoutException.class);
        var circuit = circuits.of("m", "e");
        circuit.halfOpen(); // the endpoint's circuit opened earlier and its delay is over

        // more trial calls than a half-open circuit has permits, each queued behind the hanging call past its deadline
        for (int i = 0; i < 2 * settings.minimumCalls(); i++) {
            assertThatThrownBy(() -> gated.complete(chain, tier, () -> 0).toCompletableFuture().join()).isInstanceOf(CompletionException.class);
            if (circuit.isOpen()) break;
        }

        assertThat(circuit.isOpen()).as("the trials that never got through reopened the circuit, which will try again after its delay").isTrue();
        // after its delay, the next call's request for a permit moves it half-open, with fresh permits to give
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(circuit.tryAcquirePermit()).isTrue());
        assertThat(circuit.isHalfOpen()).isTrue();
    }

    @Test
    void anAttemptTheCircuitRefusesLeavesTheKeysBudgetForTheNext() {
        Circuits circuits = new Circuits(CircuitSettings.DEFAULTS);
        ResilientCaller caller = new ResilientCaller(circuits, RetrySettings.DEFAULTS);
        Upstream upstream = Upstream.answering("u", 10);
        Endpoint endpoint = new Endpoint("e", 1, List.of(new UpstreamKey("k", upstream, 1))); // one request a minute
        List<ResilientCaller.Candidate> chain = List.of(new ResilientCaller.Candidate("m", List.of(endpoint), REQUEST));
        var circuit = circuits.of("m", "e");
        circuit.open();

        assertThatThrownBy(() -> caller.complete(chain, SlaTier.FAST, () -> 0).toCompletableFuture().join())
                .hasCauseInstanceOf(NoUpstreamAvailableException.class);
        circuit.close();

        assertThat(caller.complete(chain, SlaTier.FAST, () -> 0).toCompletableFuture().join().value().model())
                .as("the refused attempt did not spend the key's one request").isEqualTo("u");
        assertThat(upstream.connectTimeouts).hasSize(1);
    }

    @Test
    void oneCallsRetriesCountOnceAgainstACircuitAndAClientsRetriesOfItNotAtAll() {
        Circuits circuits = new Circuits(new CircuitSettings(50, 4, Duration.ofSeconds(30), 1, Duration.ofSeconds(30)));
        ResilientCaller caller = new ResilientCaller(circuits, new RetrySettings(4, Duration.ZERO, Duration.ZERO, Duration.ZERO));
        Upstream broken = new Upstream("broken", () -> CompletableFuture.failedFuture(new UpstreamUnavailableException(500, "boom", null, null)));
        Endpoint endpoint = new Endpoint("e", 1, List.of(new UpstreamKey("k", broken, 0)));
        List<ResilientCaller.Candidate> chain = List.of(new ResilientCaller.Candidate("m", List.of(endpoint), REQUEST));

        for (int sdkTry = 0; sdkTry < 3; sdkTry++) { // the client's SDK sends the failed call twice more
            boolean retry = sdkTry > 0;
            assertThatThrownBy(() -> caller.complete(chain, SlaTier.DEEP, () -> 0, retry).toCompletableFuture().join())
                    .hasCauseInstanceOf(UpstreamUnavailableException.class);
        }
        assertThat(broken.connectTimeouts).as("the gateway retried every try").hasSize(12);
        assertThat(circuits.of("m", "e").getFailureCount()).as("one call, one failure").isEqualTo(1);
        assertThat(circuits.of("m", "e").isClosed()).as("twelve attempts of one call do not open it for everyone").isTrue();

        for (int call = 0; call < 4; call++) {
            assertThatThrownBy(() -> caller.complete(chain, SlaTier.DEEP, () -> 0).toCompletableFuture().join());
        }
        assertThat(circuits.of("m", "e").isOpen()).as("distinct calls that fail still open it").isTrue();
    }
}
