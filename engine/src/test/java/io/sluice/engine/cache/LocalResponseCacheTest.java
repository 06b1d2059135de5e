package io.sluice.engine.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.Usage;
import io.sluice.ports.out.CachedAnswer;
import io.sluice.ports.out.ResponseCache;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LocalResponseCacheTest {
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    private static CachedAnswer answer(String text, Instant expires) {
        return new CachedAnswer("gpt-4o-mini", ChatMessage.assistant(text), "stop", new Usage(10, 5, 0), new BigDecimal("0.001"), expires);
    }

    @Test
    void anAnswerIsKeptUntilItExpiresAndOneAlreadyExpiredIsNotKept() {
        var clock = new MutableClock(NOW);
        LocalResponseCache cache = new LocalResponseCache(1 << 20, clock);
        cache.put("k", answer("hello", NOW.plusSeconds(10)));
        cache.put("gone", answer("late", NOW.minusSeconds(1)));
        assertThat(cache.get("k").toCompletableFuture().join()).map(a -> a.message().content()).contains("hello");
        assertThat(cache.get("gone").toCompletableFuture().join()).isEmpty();
        clock.now = NOW.plusSeconds(11);
        assertThat(cache.get("k").toCompletableFuture().join()).isEmpty();
    }

    @Test
    void anAnswerLargerThanTheCacheIsNotKept() {
        LocalResponseCache cache = new LocalResponseCache(4096, Clock.fixed(NOW, ZoneOffset.UTC));
        cache.put("big", answer("x".repeat(10_000), NOW.plusSeconds(60)));
        cache.put("small", answer("ok", NOW.plusSeconds(60)));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> cache.get("big").toCompletableFuture().join().isEmpty());
        assertThat(cache.get("small").toCompletableFuture().join()).isPresent();
    }

    @Test
    void aSharedStoreThatFailsIsAMissAndWhatItHoldsIsRememberedLocally() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        AtomicInteger reads = new AtomicInteger();
        ResponseCache shared = new ResponseCache() {
            @Override
            public CompletionStage<Optional<CachedAnswer>> get(String key) {
                reads.incrementAndGet();
                if (key.equals("broken")) return CompletableFuture.failedFuture(new IllegalStateException("down"));
                if (key.equals("thrown")) throw new IllegalStateException("down");
                return CompletableFuture.completedFuture(Optional.of(answer("from redis", NOW.plusSeconds(60))));
            }

            @Override
            public CompletionStage<Void> put(String key, CachedAnswer answer) {
                return CompletableFuture.failedFuture(new IllegalStateException("down"));
            }
        };
        TieredResponseCache tiered = new TieredResponseCache(new LocalResponseCache(1 << 20, clock), shared);
        assertThat(tiered.get("broken").toCompletableFuture().join()).isEmpty();
        assertThat(tiered.get("thrown").toCompletableFuture().join()).isEmpty();
        assertThat(tiered.get("k").toCompletableFuture().join()).isPresent();
        assertThat(tiered.get("k").toCompletableFuture().join()).isPresent();
        assertThat(reads.get()).as("the second read of k was local").isEqualTo(3);
        assertThat(tiered.put("new", answer("x", NOW.plusSeconds(60))).toCompletableFuture().join()).as("a failed shared put is dropped").isNull();
        assertThat(tiered.get("new").toCompletableFuture().join()).isPresent();
    }

    private static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
