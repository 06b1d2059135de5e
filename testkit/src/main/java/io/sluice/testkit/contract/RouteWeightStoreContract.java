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

/** What every {@link RouteWeightStore} must do: keep each route's latest weights in order, one version per change, even when changes race. */
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
        Change first = store().save(route, weights("stable", 95, "canary", 5), at, "admin").toCompletableFuture().join();
        assertThat(first.version()).isEqualTo(1);
        Change second = store().save(route, weights("stable", 75, "canary", 25), at.plusSeconds(60), "ramp").toCompletableFuture().join();
        assertThat(second.version()).isEqualTo(2);
        Change stored = store().all().toCompletableFuture().join().stream().filter(c -> c.route().equals(route)).findFirst().orElseThrow();
        assertThat(stored).isEqualTo(second);
        assertThat(stored.weights().keySet()).containsExactly("stable", "canary");
        assertThat(stored.weights()).containsEntry("canary", 25);
        assertThat(stored.at()).isEqualTo(at.plusSeconds(60));
        assertThat(stored.by()).isEqualTo("ramp");
    }

    @Test
    void changesThatRaceAreAllCountedAndTheStoreKeepsOneOfThem() {
        String route = route();
        List<CompletableFuture<Change>> saves = new ArrayList<>();
        for (int i = 0; i < 8; i++) saves.add(store().save(route, weights("stable", 100 - i, "canary", i), Instant.now(), "admin").toCompletableFuture());
        List<Long> versions = saves.stream().map(CompletableFuture::join).map(Change::version).sorted().toList();
        assertThat(versions).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        Change stored = store().all().toCompletableFuture().join().stream().filter(c -> c.route().equals(route)).findFirst().orElseThrow();
        assertThat(stored.version()).isEqualTo(8);
        assertThat(stored.weights().get("stable") + stored.weights().get("canary")).isEqualTo(100);
    }

    @Test
    void aDeploymentNameWithUnicodeIsKeptAsItWas() {
        String route = route();
        store().save(route, weights("ổn-định", 90, "thử", 10), Instant.now(), "admin").toCompletableFuture().join();
        Change stored = store().all().toCompletableFuture().join().stream().filter(c -> c.route().equals(route)).findFirst().orElseThrow();
        assertThat(stored.weights()).containsExactly(Map.entry("ổn-định", 90), Map.entry("thử", 10));
    }
}
