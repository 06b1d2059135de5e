package io.sluice.engine.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.domain.error.InvalidRequestException;
import io.sluice.domain.error.RouteNotFoundException;
import io.sluice.domain.routing.ChainLink;
import io.sluice.domain.routing.Complexity;
import io.sluice.domain.routing.ComplexityClassifier;
import io.sluice.domain.routing.Deployment;
import io.sluice.domain.routing.RouteSpec;
import io.sluice.testkit.fixtures.InMemoryRouteWeightStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Degradation chains changed at runtime: checked, stored, carried into later weight changes, applied by every replica. */
class RouteChainsTest {
    private static final Set<String> MODELS = Set.of("big", "small", "tiny");
    private final InMemoryRouteWeightStore store = new InMemoryRouteWeightStore();

    private static Router router() {
        return new Router(List.of(new RouteSpec("support", List.of(
                new Deployment("stable", 90, List.of(new ChainLink("big", Complexity.COMPLEX))),
                new Deployment("canary", 10, List.of(new ChainLink("small", Complexity.COMPLEX)))), Optional.empty(), Optional.empty())),
                ComplexityClassifier.DEFAULTS, Map.of());
    }

    private RouteWeights replica(Router router) {
        return new RouteWeights(router, store, Clock.systemUTC(), MODELS::contains);
    }

    private static List<String> chainOf(Router router, String deployment) {
        return router.routes().getFirst().deployments().stream().filter(d -> d.name().equals(deployment)).findFirst().orElseThrow().chain();
    }

    @Test
    void aChainSetOnOneReplicaIsAppliedByAnotherAndKeptThroughALaterWeightChange() {
        Router a = router();
        Router b = router();
        RouteWeights onA = replica(a);
        RouteWeights onB = replica(b);
        var report = onA.setChains("support", Map.of("stable", List.of(new ChainLink("big", Complexity.COMPLEX), new ChainLink("tiny", Complexity.SIMPLE))))
                .toCompletableFuture().join();
        assertThat(report.deployments().getFirst().capabilities()).containsExactly("complex", "simple");
        assertThat(chainOf(a, "stable")).containsExactly("big", "tiny");
        assertThat(chainOf(a, "canary")).as("not named: as configured").containsExactly("small");

        onB.refresh().toCompletableFuture().join();
        assertThat(chainOf(b, "stable")).containsExactly("big", "tiny");
        // a simple call on b starts at the least capable model fit for it
        assertThat(java.util.stream.IntStream.range(0, 200).mapToObj(i -> b.route("support", "u" + i, List.of()).orElseThrow())
                .filter(r -> r.deployment().equals("stable")).findFirst().orElseThrow().models()).containsExactly("tiny");

        onB.setWeights("support", Map.of("canary", 50)).toCompletableFuture().join();
        assertThat(store.changes.get("support").chains()).as("carried into the weights' change").containsKey("stable");
        onA.refresh().toCompletableFuture().join();
        assertThat(chainOf(a, "stable")).containsExactly("big", "tiny");
        assertThat(a.weightsAfter("support", Map.of())).containsEntry("canary", 50);
    }

    @Test
    void aChainThatNamesAnUnknownModelOrDeploymentOrClimbsInCapabilityIsRefusedAndNothingIsStored() {
        RouteWeights weights = replica(router());
        assertThatThrownBy(() -> weights.setChains("support", Map.of("stable", List.of(new ChainLink("gpt-9", Complexity.COMPLEX)))).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(InvalidRequestException.class).hasMessageContaining("gpt-9");
        assertThatThrownBy(() -> weights.setChains("support", Map.of("nightly", List.of(new ChainLink("big", Complexity.COMPLEX)))).toCompletableFuture().join())
                .hasCauseInstanceOf(InvalidRequestException.class).hasMessageContaining("no deployment 'nightly'");
        assertThatThrownBy(() -> weights.setChains("support", Map.of("stable", List.of(new ChainLink("tiny", Complexity.SIMPLE),
                new ChainLink("big", Complexity.COMPLEX)))).toCompletableFuture().join())
                .hasCauseInstanceOf(InvalidRequestException.class).hasMessageContaining("most to the least capable");
        assertThatThrownBy(() -> weights.setChains("support", Map.of()).toCompletableFuture().join()).hasCauseInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> weights.setChains("elsewhere", Map.of("stable", List.of(new ChainLink("big", Complexity.COMPLEX)))).toCompletableFuture().join())
                .hasCauseInstanceOf(RouteNotFoundException.class);
        assertThat(store.changes).isEmpty();
    }

    @Test
    void aStoredChainWhoseModelIsNoLongerConfiguredIsSetAsideAndTheConfiguredOneStands() {
        store.save("support", Map.of("stable", 90, "canary", 10), Map.of("stable", List.of(new ChainLink("retired", Complexity.COMPLEX))),
                java.time.Instant.now(), "admin", 0);
        Router router = router();
        replica(router).refresh().toCompletableFuture().join();
        assertThat(chainOf(router, "stable")).containsExactly("big");
    }
}
