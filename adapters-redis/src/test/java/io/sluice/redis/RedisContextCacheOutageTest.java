package io.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.domain.ConversationId;
import io.sluice.ports.out.CachedConversation;
import io.sluice.testkit.contract.ContextCacheContract;
import io.sluice.testkit.servers.SecondRedis;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * While Redis does not answer, the cache is a miss and its writes are dropped; an entry whose advance was dropped
 * (it lacks a turn stored meanwhile) is deleted once Redis answers again, before it is read. Redis is paused with
 * CLIENT PAUSE, which keeps its data, as a network partition would, on a server of the test's own.
 */
class RedisContextCacheOutageTest {
    @Test
    void anEntryWhoseAdvanceWasDroppedIsNeverReadAgain() throws Exception {
        try (SecondRedis redis = new SecondRedis(); RedisLink link = RedisLink.open(redis.uri(), Duration.ofMillis(200));
             RedisLink admin = RedisLink.open(redis.uri(), Duration.ofSeconds(5))) {
            assertThat(link.awaitConnection(Duration.ofSeconds(5)) && admin.awaitConnection(Duration.ofSeconds(5))).isTrue();
            RedisContextCache cache = new RedisContextCache(link, new ObjectMapper(), Duration.ofMinutes(5));
            ConversationId id = ConversationId.random();
            cache.fill(ContextCacheContract.entry(id, 4)).toCompletableFuture().get();
            assertThat(cache.get(id).toCompletableFuture().get()).isPresent();

            admin.call(c -> c.clientPause(1_500)).toCompletableFuture().get();
            long started = System.nanoTime();
            cache.advance(4, ContextCacheContract.entry(id, 6)).toCompletableFuture().get(); // dropped: Redis does not answer
            Optional<CachedConversation> during = cache.get(id).toCompletableFuture().get();
            assertThat(during).as("a miss, not a wait").isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));

            await().atMost(Duration.ofSeconds(10)).until(link::available);
            cache.get(id).toCompletableFuture().get(); // the first read after the outage deletes what was dropped
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(admin.call(c -> c.exists("sluice:ctx:" + id.value())).toCompletableFuture().get()).as("the stale entry is gone").isZero());
            assertThat(cache.get(id).toCompletableFuture().get()).isEmpty();
        }
    }
}
