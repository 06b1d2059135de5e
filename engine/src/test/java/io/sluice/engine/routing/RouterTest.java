package io.sluice.engine.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.ContextStrategy;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.domain.error.RouteNotFoundException;
import io.sluice.domain.routing.ChainLink;
import io.sluice.domain.routing.Complexity;
import io.sluice.domain.routing.ComplexityClassifier;
import io.sluice.domain.routing.Deployment;
import io.sluice.domain.routing.RouteSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final List<ChainLink> CHAIN = List.of(new ChainLink("big", Complexity.COMPLEX), new ChainLink("small", Complexity.SIMPLE));
    private static final Map<Complexity, String> TIERS = Map.of(Complexity.SIMPLE, "fast", Complexity.MODERATE, "normal", Complexity.COMPLEX, "deep");

    private final Router router = new Router(List.of(
            new RouteSpec("support", List.of(new Deployment("default", 1, CHAIN)), Optional.empty(), Optional.of(new ContextStrategy.SlidingWindow(4))),
            new RouteSpec("pinned", List.of(new Deployment("a", 1, CHAIN), new Deployment("b", 0, CHAIN)), Optional.of("normal"), Optional.empty())),
            ComplexityClassifier.DEFAULTS, TIERS);

    @Test
    void aRouteCallGetsItsChainFromWhereItsComplexityStartsAndTheTierOfThatComplexity() {
        Routing simple = router.route("support", "u1", List.of(ChatMessage.user("hello"))).orElseThrow();
        assertThat(simple.models()).containsExactly("small");
        assertThat(simple.tier()).contains("fast");
        assertThat(simple.contextStrategy()).contains(new ContextStrategy.SlidingWindow(4));

        Routing complex = router.route("support", "u1", List.of(ChatMessage.user("please compare these two plans for me"))).orElseThrow();
        assertThat(complex.models()).containsExactly("big", "small");
        assertThat(complex.tier()).contains("deep");

        assertThat(router.route("pinned", null, List.of(ChatMessage.user("hello"))).orElseThrow().tier()).as("the route's own tier wins")
                .contains("normal");
        assertThat(router.route("gpt-4o", null, List.of(ChatMessage.user("hello")))).as("not a route: a model").isEmpty();
    }

    /** A clock the test moves. */
    private static final class MovableClock extends java.time.Clock {
        private volatile java.time.Instant now;

        MovableClock(java.time.Instant start) {
            now = start;
        }

        void set(java.time.Instant value) {
            now = value;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    @Test
    void aTimeWindowSwitchesTheChainTierAndWeightsAtItsEdgesInTheRoutesTimeZone() {
        java.time.ZoneId saigon = java.time.ZoneId.of("Asia/Ho_Chi_Minh");
        List<ChainLink> cheap = List.of(new ChainLink("small", Complexity.COMPLEX));
        var peak = new io.sluice.domain.routing.TimeWindow("peak", java.util.Set.of(), 9 * 3600, 11 * 3600, Optional.of(cheap),
                Optional.of("fast"), Map.of("canary", 0));
        RouteSpec route = new RouteSpec("support", List.of(new Deployment("stable", 1, CHAIN), new Deployment("canary", 1, CHAIN)),
                Optional.of("deep"), Optional.empty(), saigon, List.of(peak));
        java.time.ZonedDateTime nine = java.time.ZonedDateTime.of(2026, 12, 7, 9, 0, 0, 0, saigon);
        MovableClock clock = new MovableClock(nine.minusNanos(1).toInstant());
        Router timed = new Router(List.of(route), ComplexityClassifier.DEFAULTS, TIERS, clock);
        var question = List.of(ChatMessage.user("please compare these two plans for me"));

        Routing before = timed.route("support", "u", question).orElseThrow();
        assertThat(before.models()).containsExactly("big", "small");
        assertThat(before.tier()).contains("deep");
        assertThat(timed.routes().getFirst().activeWindow()).isNull();

        clock.set(nine.toInstant());
        for (int i = 0; i < 50; i++) {
            Routing inside = timed.route("support", "user-" + i, question).orElseThrow();
            assertThat(inside.models()).containsExactly("small");
            assertThat(inside.tier()).contains("fast");
            assertThat(inside.deployment()).as("the window weighs the canary at 0").isEqualTo("stable");
        }
        assertThat(timed.routes().getFirst().activeWindow()).isEqualTo("peak");
        assertThat(timed.modelsOf("support")).contains("big", "small");

        clock.set(nine.plusHours(2).minusNanos(1).toInstant());
        assertThat(timed.route("support", "u", question).orElseThrow().models()).containsExactly("small");
        clock.set(nine.plusHours(2).toInstant());
        assertThat(timed.route("support", "u", question).orElseThrow().models()).containsExactly("big", "small");
        clock.set(nine.withZoneSameLocal(java.time.ZoneOffset.UTC).toInstant());
        assertThat(timed.route("support", "u", question).orElseThrow().models()).as("09:00 UTC is 16:00 in Saigon").containsExactly("big", "small");
    }

    @Test
    void weightsChangedAtRuntimeApplyOutsideTheWindowsAndAWindowsOwnWeightsStay() {
        var night = new io.sluice.domain.routing.TimeWindow("night", java.util.Set.of(), 0, 24 * 3600, Optional.empty(), Optional.empty(),
                Map.of("a", 0, "b", 1));
        RouteSpec route = new RouteSpec("pinned", List.of(new Deployment("a", 1, CHAIN), new Deployment("b", 0, CHAIN)), Optional.empty(),
                Optional.empty(), null, List.of(night));
        Router timed = new Router(List.of(route), ComplexityClassifier.DEFAULTS, TIERS);
        assertThat(timed.route("pinned", "u", List.of(ChatMessage.user("hi"))).orElseThrow().deployment()).isEqualTo("b");
        timed.applyWeights("pinned", Map.of("a", 5, "b", 0));
        assertThat(timed.route("pinned", "u", List.of(ChatMessage.user("hi"))).orElseThrow().deployment()).isEqualTo("b");
        assertThat(timed.routes().getFirst().deployments()).extracting(d -> d.weight()).containsExactly(5, 0);
    }

    @Test
    void weightsChangeAtRuntimeAndBadChangesAreRefusedWhole() {
        assertThat(router.route("pinned", "u", List.of(ChatMessage.user("hi"))).orElseThrow().deployment()).isEqualTo("a");
        var report = router.applyWeights("pinned", Map.of("a", 0, "b", 5));
        assertThat(report.deployments()).extracting(d -> d.name() + "=" + d.weight()).containsExactly("a=0", "b=5");
        assertThat(router.route("pinned", "u", List.of(ChatMessage.user("hi"))).orElseThrow().deployment()).isEqualTo("b");

        assertThatThrownBy(() -> router.applyWeights("pinned", Map.of("b", 0))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> router.applyWeights("pinned", Map.of("a", 3, "zzz", 1))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> router.applyWeights("nowhere", Map.of("a", 1))).isInstanceOf(RouteNotFoundException.class);
        assertThat(router.routes().get(1).deployments()).extracting(d -> d.weight()).as("a refused change changes nothing").containsExactly(0, 5);
    }

    @Test
    void eachDeploymentReportsItsRequestsErrorsAndLatencyPercentiles() {
        Routing routing = router.route("support", "u", List.of(ChatMessage.user("hi"))).orElseThrow();
        for (int i = 1; i <= 100; i++) routing.stats().record(i * 1_000_000L, i % 10 == 0);
        var report = router.routes().getFirst().deployments().getFirst();
        assertThat(report.requests()).isEqualTo(100);
        assertThat(report.errors()).isEqualTo(10);
        assertThat(report.errorRate()).isEqualTo(0.1);
        assertThat(report.p50Millis()).isEqualTo(50.0);
        assertThat(report.p95Millis()).isEqualTo(95.0);
    }
}
