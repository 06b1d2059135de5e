package io.sluice.engine.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.error.SharedStoreUnavailableException;
import io.sluice.domain.limits.Limit;
import io.sluice.domain.limits.LimitCheck;
import io.sluice.domain.limits.LimitDecision;
import io.sluice.ports.out.LimitCounters;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** While the shared counters are unreachable, each replica counts its share of every limit itself. */
class DegradingLimitCountersTest {
    /** Shared counters whose store is down (a stand-in for Redis, which RedisOutageTest stops for real). */
    private static final LimitCounters UNREACHABLE = new LimitCounters() {
        @Override
        public CompletionStage<LimitDecision> acquire(List<LimitCheck> checks) {
            return CompletableFuture.failedFuture(new SharedStoreUnavailableException("Redis is unreachable", null));
        }

        @Override
        public CompletionStage<Void> adjust(LimitCheck check, long delta) {
            return CompletableFuture.failedFuture(new SharedStoreUnavailableException("Redis is unreachable", null));
        }
    };

    @Test
    void eachOfThreeReplicasAllowsAThirdOfTheLimit() throws Exception {
        DegradingLimitCounters counters = new DegradingLimitCounters(UNREACHABLE, 3);
        LimitCheck oneRequest = new LimitCheck(new Limit("key:acme", Limit.Kind.REQUESTS, 30), 1);

        int allowed = 0;
        for (int i = 0; i < 30; i++) if (counters.acquire(List.of(oneRequest)).toCompletableFuture().get().allowed()) allowed++;

        assertThat(allowed).isEqualTo(10);
        LimitDecision refused = counters.acquire(List.of(oneRequest)).toCompletableFuture().get();
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.limit().perMinute()).as("the client is told the limit as configured").isEqualTo(30);
    }

    @Test
    void anErrorThatIsNotAnOutagePassesThrough() {
        LimitCounters broken = new LimitCounters() {
            @Override
            public CompletionStage<LimitDecision> acquire(List<LimitCheck> checks) {
                return CompletableFuture.failedFuture(new IllegalStateException("a bug"));
            }

            @Override
            public CompletionStage<Void> adjust(LimitCheck check, long delta) {
                return CompletableFuture.completedFuture(null);
            }
        };

        assertThat(new DegradingLimitCounters(broken, 2).acquire(List.of(new LimitCheck(new Limit("k", Limit.Kind.REQUESTS, 5), 1)))
                .toCompletableFuture()).failsWithin(java.time.Duration.ofSeconds(1));
    }
}
