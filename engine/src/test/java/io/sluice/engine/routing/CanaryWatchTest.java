package io.sluice.engine.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.routing.ChainLink;
import io.sluice.domain.routing.Complexity;
import io.sluice.domain.routing.ComplexityClassifier;
import io.sluice.domain.routing.Deployment;
import io.sluice.domain.routing.RouteSpec;
import io.sluice.ports.out.RouteWeightStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import io.sluice.testkit.fixtures.InMemoryRouteWeightStore;
import org.junit.jupiter.api.Test;

/** A canary is rolled back when it fails or slows past the stable deployment, ramped on its schedule, and judged afresh once brought back. */
class CanaryWatchTest {
    private Instant now = Instant.parse("2026-12-04T09:00:00Z");
    private final Clock clock = new Clock() {
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return now;
        }
    };
    private final Router router = new Router(List.of(new RouteSpec("support", List.of(
            new Deployment("stable", 90, List.of(new ChainLink("big", Complexity.COMPLEX))),
            new Deployment("canary", 10, List.of(new ChainLink("small", Complexity.COMPLEX)))), Optional.empty(), Optional.empty())),
            ComplexityClassifier.DEFAULTS, Map.of(), clock);
    private final InMemoryRouteWeightStore store = new InMemoryRouteWeightStore();
    private final RouteWeights weights = new RouteWeights(router, store, clock);
    private final List<String> rolledBack = new CopyOnWriteArrayList<>();

    private CanaryWatch watch(List<Integer> ramp) {
        return new CanaryWatch(weights, router, List.of(new CanaryPolicy("support", "canary", "stable", 0.05, 1.5, 20, ramp, Duration.ofHours(1))),
                clock, rolledBack::add);
    }

    private void calls(String deployment, int count, long millis, boolean failed) {
        var routing = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> router.route("support", "u" + i, List.of()).orElseThrow())
                .filter(r -> r.deployment().equals(deployment)).findFirst().orElseThrow();
        for (int i = 0; i < count; i++) routing.stats().record(millis * 1_000_000, failed);
    }

    private Map<String, Integer> current() {
        return router.weightsAfter("support", Map.of());
    }

    @Test
    void aCanaryThatFailsMoreThanTheStableIsRolledBackAndStoredSo() {
        CanaryWatch watch = watch(List.of());
        calls("stable", 100, 200, false);
        calls("canary", 19, 200, true);
        watch.check().toCompletableFuture().join();
        assertThat(current()).as("too few canary calls to judge").containsEntry("canary", 10);
        calls("canary", 1, 200, true);
        watch.check().toCompletableFuture().join();
        assertThat(current()).containsEntry("canary", 0).containsEntry("stable", 90);
        assertThat(store.changes.get("support").by()).isEqualTo("rollback");
        assertThat(rolledBack).containsExactly("support");
        watch.check().toCompletableFuture().join();
        assertThat(rolledBack).as("once").hasSize(1);

        // brought back by the operator: judged on its new calls only
        weights.setWeights("support", Map.of("canary", 10)).toCompletableFuture().join();
        watch.check().toCompletableFuture().join();
        assertThat(current()).containsEntry("canary", 10);
    }

    @Test
    void aCanaryFarSlowerThanTheStableIsRolledBack() {
        CanaryWatch watch = watch(List.of());
        calls("stable", 50, 200, false);
        calls("canary", 50, 250, false);
        watch.check().toCompletableFuture().join();
        assertThat(current()).containsEntry("canary", 10);
        calls("canary", 200, 900, false);
        watch.check().toCompletableFuture().join();
        assertThat(current()).containsEntry("canary", 0);
    }

    @Test
    void aHealthyCanaryIsRampedOneStepAnIntervalAfterTheLastChange() {
        CanaryWatch watch = watch(List.of(25, 50, 100));
        watch.check().toCompletableFuture().join();
        assertThat(current()).containsEntry("canary", 10);
        now = now.plus(Duration.ofMinutes(61));
        watch.check().toCompletableFuture().join();
        assertThat(current()).containsEntry("canary", 25).containsEntry("stable", 75);
        assertThat(store.changes.get("support").by()).isEqualTo("ramp");
        now = now.plus(Duration.ofMinutes(30));
        watch.check().toCompletableFuture().join();
        assertThat(current()).as("not yet an hour since the last step").containsEntry("canary", 25);
        now = now.plus(Duration.ofMinutes(31));
        watch.check().toCompletableFuture().join();
        assertThat(current()).containsEntry("canary", 50);
        now = now.plus(Duration.ofMinutes(61));
        watch.check().toCompletableFuture().join();
        now = now.plus(Duration.ofMinutes(61));
        watch.check().toCompletableFuture().join();
        assertThat(current()).containsEntry("canary", 100).containsEntry("stable", 0);
    }

    @Test
    void aChangeMadeFromAStaleViewIsMadeAgainFromTheStoredOneNotOverIt() {
        weights.setWeights("support", Map.of("canary", 0)).toCompletableFuture().join(); // version 1 here
        // version 2, stored by another replica, unseen here
        store.changes.put("support", new RouteWeightStore.Change("support", Map.of("stable", 70, "canary", 0), 2, now, "rollback"));
        var report = weights.setWeights("support", Map.of("stable", 60)).toCompletableFuture().join();
        assertThat(store.changes.get("support").version()).isEqualTo(3);
        assertThat(current()).containsEntry("stable", 60).containsEntry("canary", 0);
        assertThat(report.name()).isEqualTo("support");
    }

    @Test
    void weightsStoredByAnotherReplicaAreAppliedAtTheNextRefreshAndUnknownDeploymentsAreIgnored() {
        store.save("support", Map.of("stable", 40, "canary", 60, "gone", 5), Map.of(), now, "admin", 0);
        store.save("elsewhere", Map.of("x", 1), Map.of(), now, "admin", 0);
        weights.refresh().toCompletableFuture().join();
        assertThat(current()).containsEntry("stable", 40).containsEntry("canary", 60).doesNotContainKey("gone");
    }
}
