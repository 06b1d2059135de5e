package io.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.domain.error.SharedStoreUnavailableException;
import io.sluice.testkit.servers.SecondRedis;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Redis going away never hangs a command: it fails at once, and the link is back when Redis is. */
class RedisLinkTest {
    @Test
    void commandsFailAtOnceWhileRedisIsDownAndWorkAgainWhenItIsBack() throws Exception {
        try (SecondRedis redis = new SecondRedis(); RedisLink link = RedisLink.open(redis.uri(), Duration.ofMillis(300))) {
            assertThat(link.awaitConnection(Duration.ofSeconds(5))).isTrue();
            assertThat(link.call(c -> c.set("k", "v")).toCompletableFuture().get()).isEqualTo("OK");

            redis.stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> !link.available());
            long started = System.nanoTime();
            CompletableFuture<String> refused = link.call(c -> c.get("k")).toCompletableFuture();

            assertThat(refused).failsWithin(Duration.ofSeconds(1)).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(SharedStoreUnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));

            redis.start();
            await().atMost(Duration.ofSeconds(20)).until(link::available);
            assertThat(link.call(c -> c.set("k", "again")).toCompletableFuture().get()).isEqualTo("OK");
        }
    }

    @Test
    void aLinkOpenedWhileRedisIsDownConnectsWhenItComes() throws Exception {
        try (SecondRedis redis = new SecondRedis()) {
            redis.stop();
            try (RedisLink link = RedisLink.open(redis.uri(), Duration.ofMillis(300))) {
                assertThat(link.awaitConnection(Duration.ofMillis(500))).isFalse();
                assertThat(link.call(c -> c.ping()).toCompletableFuture()).failsWithin(Duration.ofSeconds(1));

                redis.start();

                assertThat(link.awaitConnection(Duration.ofSeconds(20))).isTrue();
                assertThat(link.call(c -> c.ping()).toCompletableFuture().get()).isEqualTo("PONG");
            }
        }
    }
}
