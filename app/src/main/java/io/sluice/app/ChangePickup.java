package io.sluice.app;

import io.sluice.engine.background.Periodic;
import io.sluice.ports.out.ChangeNotices;
import io.sluice.redis.RedisChangeNotices;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * How a replica picks up the runtime changes other replicas store: at once on a Redis pub/sub notice when the gateway
 * uses Redis; and by polling the database, every {@link #POLL} while no subscription is live (no Redis, or Redis away),
 * every {@link #SAFETY_POLL} while one is (for a notice lost). Either way a change reaches every replica within a second.
 */
final class ChangePickup {
    static final Duration POLL = Duration.ofMillis(250);
    static final Duration SAFETY_POLL = Duration.ofSeconds(5);
    static final Duration SETTLING = Duration.ofSeconds(1);

    private final Optional<RedisChangeNotices> redis;

    ChangePickup(Optional<RedisChangeNotices> redis) {
        this.redis = redis;
    }

    /** What tells the other replicas of a change stored here. */
    ChangeNotices notices() {
        return redis.<ChangeNotices>map(n -> n).orElse(ChangeNotices.NONE);
    }

    /** Runs {@code refresh} on each notice of {@code what}, and polls with it; returns what stops the polling. */
    Runnable follow(String what, Supplier<? extends CompletionStage<?>> refresh) {
        redis.ifPresent(n -> n.on(what, refresh::get)); // the refreshes read the store on its own executor: the notice's thread is not held
        AtomicLong last = new AtomicLong(System.nanoTime());
        AtomicLong liveSince = new AtomicLong(Long.MAX_VALUE);
        return Periodic.every(what, POLL, () -> {
            long now = System.nanoTime();
            boolean live = redis.map(RedisChangeNotices::live).orElse(false);
            // a subscription just (re)connected may not be subscribed yet: polled fast a while longer
            if (!live) liveSince.set(Long.MAX_VALUE);
            else liveSince.compareAndSet(Long.MAX_VALUE, now);
            boolean settled = live && now - liveSince.get() > SETTLING.toNanos();
            if (settled && now - last.get() < SAFETY_POLL.toNanos()) return CompletableFuture.completedFuture(null);
            last.set(now);
            return refresh.get();
        });
    }
}
