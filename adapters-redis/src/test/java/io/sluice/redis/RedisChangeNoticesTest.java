package io.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testkit.servers.SecondRedis;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Change notices between two replicas' links: delivered to every subscriber; while Redis is away the subscription is not
 * live (so that the replicas poll) and announcing fails quietly; once Redis is back, notices flow again.
 */
class RedisChangeNoticesTest {
    @Test
    void aNoticeReachesTheOtherReplicaAndFlowsAgainAfterRedisWasAway() throws Exception {
        try (SecondRedis redis = new SecondRedis(); RedisLink one = RedisLink.open(redis.uri(), Duration.ofMillis(300));
             RedisLink two = RedisLink.open(redis.uri(), Duration.ofMillis(300))) {
            RedisChangeNotices a = new RedisChangeNotices(one);
            RedisChangeNotices b = new RedisChangeNotices(two);
            AtomicInteger weights = new AtomicInteger();
            AtomicInteger keys = new AtomicInteger();
            b.on("route-weights", weights::incrementAndGet);
            b.on("upstream-keys", keys::incrementAndGet);
            await().atMost(Duration.ofSeconds(5)).until(() -> a.live() && b.live() && one.available());

            a.announce("route-weights");
            await().atMost(Duration.ofSeconds(1)).until(() -> weights.get() == 1);
            a.announce("not-a-change"); // no handler: nothing runs
            a.announce("upstream-keys");
            await().atMost(Duration.ofSeconds(1)).until(() -> keys.get() == 1);
            assertThat(weights.get()).isEqualTo(1);

            redis.stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> !b.live());
            java.util.concurrent.CompletableFuture<Boolean> whileAway = a.publish("route-weights"); // tried again for a second

            redis.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> a.live() && b.live() && one.available());
            // its retries over: dropped, or landed after Redis came back, and then delivered too
            if (whileAway.get(5, java.util.concurrent.TimeUnit.SECONDS)) await().atMost(Duration.ofSeconds(1)).until(() -> weights.get() == 2);
            int before = weights.get();
            a.announce("route-weights");
            await().atMost(Duration.ofSeconds(1)).until(() -> weights.get() == before + 1);
        }
    }
}
