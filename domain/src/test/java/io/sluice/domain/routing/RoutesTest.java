package io.sluice.domain.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Degradation chains, route specs and the canary split. */
class RoutesTest {
    private static final List<ChainLink> CHAIN = List.of(new ChainLink("big", Complexity.COMPLEX),
            new ChainLink("mid", Complexity.MODERATE), new ChainLink("small", Complexity.SIMPLE));

    @Test
    void aCallStartsAtTheLeastCapableModelFitForIt() {
        Deployment d = new Deployment("d", 1, CHAIN);
        assertThat(d.startFor(Complexity.COMPLEX)).isZero();
        assertThat(d.startFor(Complexity.MODERATE)).isEqualTo(1);
        assertThat(d.startFor(Complexity.SIMPLE)).isEqualTo(2);
        Deployment strongOnly = new Deployment("d", 1, List.of(new ChainLink("big", Complexity.COMPLEX), new ChainLink("big2", Complexity.COMPLEX)));
        assertThat(strongOnly.startFor(Complexity.SIMPLE)).as("the last of equals, so that all of them remain to fall to").isEqualTo(1);
        Deployment weakOnly = new Deployment("d", 1, List.of(new ChainLink("small", Complexity.SIMPLE)));
        assertThat(weakOnly.startFor(Complexity.COMPLEX)).as("nothing fit: the most capable").isZero();
    }

    @Test
    void aChainMustGoFromTheMostToTheLeastCapable() {
        assertThatThrownBy(() -> new Deployment("d", 1, List.of(new ChainLink("small", Complexity.SIMPLE), new ChainLink("big", Complexity.COMPLEX))))
                .hasMessageContaining("from the most to the least capable");
        assertThatThrownBy(() -> new Deployment("d", -1, CHAIN)).hasMessageContaining("weight");
        assertThatThrownBy(() -> new RouteSpec("r", List.of(new Deployment("d", 0, CHAIN)), Optional.empty(), Optional.empty()))
                .hasMessageContaining("positive weight");
        assertThatThrownBy(() -> new RouteSpec("r", List.of(new Deployment("d", 1, CHAIN), new Deployment("d", 1, CHAIN)), Optional.empty(),
                Optional.empty())).hasMessageContaining("two deployments named 'd'");
    }

    @Test
    void theSplitFollowsTheWeightsAndIsStickyByUser() {
        List<Deployment> split = List.of(new Deployment("stable", 90, CHAIN), new Deployment("canary", 10, CHAIN));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 100_000; i++) counts.merge(CanarySplit.pick(split, "user-" + i, 0.5).name(), 1, Integer::sum);
        assertThat(counts.get("canary") / 100_000.0).isBetween(0.095, 0.105);
        for (int i = 0; i < 1_000; i++) {
            String user = "u" + i;
            Deployment first = CanarySplit.pick(split, user, 0.0);
            assertThat(CanarySplit.pick(split, user, 0.99)).as("the random draw is ignored when there is a user").isEqualTo(first);
        }
    }

    @Test
    void withoutAUserTheSplitIsRandomByWeight() {
        List<Deployment> split = List.of(new Deployment("stable", 90, CHAIN), new Deployment("canary", 10, CHAIN));
        Random random = new Random(7);
        int canary = 0;
        for (int i = 0; i < 100_000; i++) if (CanarySplit.pick(split, null, random.nextDouble()).name().equals("canary")) canary++;
        assertThat(canary / 100_000.0).isBetween(0.095, 0.105);
        assertThat(CanarySplit.pick(split, " ", 0.95).name()).isEqualTo("canary");
        List<Deployment> allStable = List.of(new Deployment("stable", 1, CHAIN), new Deployment("canary", 0, CHAIN));
        for (int i = 0; i < 1_000; i++) assertThat(CanarySplit.pick(allStable, "user-" + i, 0.99).name()).isEqualTo("stable");
    }
}
