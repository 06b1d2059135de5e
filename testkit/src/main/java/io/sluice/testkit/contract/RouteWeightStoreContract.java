package io.sluice.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ports.out.RouteWeightStore;
import io.sluice.ports.out.RouteWeightStore.Change;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What every {@link RouteWeightStore} must do: keep each route's latest weights in order, one version per change, and store no change made from a stale version. */
public abstract class RouteWeightStoreContract {
    protected abstract RouteWeightStore store();

    private static String route() {
        return "support-" + UUID.randomUUID();
    }

    private static Map<String, Integer> weights(Object... pairs) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) weights.put((String) pairs[i], (Integer) pairs[i + 1]);
        return weights;
    }

    @Test
    void eachChangeOfARouteIsOneVersionPastItsLastAndTheLatestIsKeptInOrder() {
        String route = route();
        Instant at = Instant.parse("2026-12-04T10:00:00Z");
        Change first = store().save(route, weights("stable", 95, "canary", 5), Map.of(), at, "admin", 0).toCompletableFuture().join().orElseThrow();
        assertThat(first.version()).isEqualTo(1);
        Change second = store().save(route, weights("stable", 75, "canary", 25), Map.of(), at.plusSeconds(60), "ramp", 1).toCompletableFuture().join().orElseThrow();
        assertThat(second.version()).isEqualTo(2);
        assertThat(store().save(route, weights("stable", 100, "canary", 0), Map.of(), at, "rollback", 1).toCompletableFuture().join())
                .as("made from version 1, after version 2 was stored: refused").isEmpty();
        Change stored = store().all().toCompletableFuture().join().stream().filter(c -> c.route().equals(route)).findFirst().orElseThrow();
        assertThat(stored).isEqualTo(second);
        assertThat(stored.weights().keySet()).containsExactly("stable", "canary");
        assertThat(stored.weights()).containsEntry("canary", 25);
        assertThat(stored.at()).isEqualTo(at.plusSeconds(60));
        assertThat(stored.by()).isEqualTo("ramp");
    }

    @Test
    void ofChangesThatRaceFromOneVersionOneIsStoredAndTheOthersAreToldSo() {
        String route = route();
        store().save(route, weights("stable", 90, "canary", 10), Map.of(), Instant.now(), "admin", 0).toCompletableFuture().join().orElseThrow();
        for (long from : new long[] {0, 1}) {
            List<CompletableFuture<java.util.Optional<Change>>> saves = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                saves.add(store().save(route, weights("stable", 100 - i, "canary", i), Map.of(), Instant.now(), "admin", from).toCompletableFuture());
            }
            long stored = saves.stream().map(CompletableFuture::join).filter(java.util.Optional::isPresent).count();
            assertThat(stored).as("from version %d", from).isEqualTo(from == 0 ? 0 : 1);
        }
        Change stored = store().all().toCompletableFuture().join().stream().filter(c -> c.route().equals(route)).findFirst().orElseThrow();
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.weights().get("stable") + stored.weights().get("canary")).isEqualTo(100);
    }

    @Test
    void aDeploymentNameWithUnicodeIsKeptAsItWas() {
        String route = route();
        store().save(route, weights("ổn-định", 90, "thử", 10), Map.of(), Instant.now(), "admin", 0).toCompletableFuture().join();
        Change stored = store().all().toCompletableFuture().join().stream().filter(c -> c.route().equals(route)).findFirst().orElseThrow();
        assertThat(stored.weights()).containsExactly(Map.entry("ổn-định", 90), Map.entry("thử", 10));
    }

    @Test
    void chainsSetAtRuntimeAreKeptInOrderWithTheirCapabilitiesAndNoneMeansTheConfiguredOnes() {
        String route = route();
        Map<String, List<io.sluice.domain.routing.ChainLink>> chains = new LinkedHashMap<>();
        chains.put("canary", List.of(new io.sluice.domain.routing.ChainLink("gpt-4o", io.sluice.domain.routing.Complexity.COMPLEX),
                new io.sluice.domain.routing.ChainLink("gpt-4o-mini", io.sluice.domain.routing.Complexity.SIMPLE)));
        chains.put("stable", List.of(new io.sluice.domain.routing.ChainLink("claude-sonnet-4.5", io.sluice.domain.routing.Complexity.MODERATE)));
        Change first = store().save(route, weights("stable", 90, "canary", 10), Map.of(), Instant.now(), "admin", 0).toCompletableFuture().join().orElseThrow();
        assertThat(first.chains()).isEmpty();
        store().save(route, weights("stable", 90, "canary", 10), chains, Instant.now(), "admin", 1).toCompletableFuture().join().orElseThrow();
        Change stored = store().all().toCompletableFuture().join().stream().filter(c -> c.route().equals(route)).findFirst().orElseThrow();
        assertThat(stored.chains()).isEqualTo(chains);
        assertThat(stored.chains().keySet()).containsExactly("canary", "stable");
    }
}
