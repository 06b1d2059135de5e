package io.sluice.redis;

import io.sluice.ports.out.ChangeNotices;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ChangeNotices} through Redis pub/sub: a notice is published on {@value #CHANNEL}, and every replica subscribed
 * runs what it registered for it. A notice that cannot be published within a second is dropped (the replicas' polling
 * picks the change up). Thread-safe.
 */
public final class RedisChangeNotices implements ChangeNotices {
    static final String CHANNEL = "sluice:changes";
    private static final System.Logger LOG = System.getLogger(RedisChangeNotices.class.getName());

    private final RedisLink redis;
    private final Map<String, Runnable> handlers = new ConcurrentHashMap<>();
    private final RedisLink.Subscription subscription;

    public RedisChangeNotices(RedisLink redis) {
        this.redis = redis;
        this.subscription = redis.subscribe(CHANNEL, what -> {
            Runnable handler = handlers.get(what);
            if (handler != null) handler.run();
        });
    }

    /** Runs {@code handler} (quick, never blocking) on each notice of {@code what}, from this replica or another. */
    public void on(String what, Runnable handler) {
        handlers.put(what, handler);
    }

    /** Whether notices reach this replica now. */
    public boolean live() {
        return subscription.live();
    }

    /**
     * Publishes the notice; one that cannot be published is tried again a few times over a second: this replica's link
     * may come back from an outage after another's subscription did, which then no longer polls fast.
     */
    @Override
    public void announce(String what) {
        publish(what);
    }

    /** {@link #announce}, telling whether the notice was published (false once its retries are spent). */
    CompletableFuture<Boolean> publish(String what) {
        CompletableFuture<Boolean> published = new CompletableFuture<>();
        publish(what, 1, published);
        return published;
    }

    private void publish(String what, int attempt, CompletableFuture<Boolean> published) {
        redis.call(c -> c.publish(CHANNEL, what)).whenComplete((receivers, error) -> {
            if (error == null) {
                published.complete(true);
            } else if (attempt < ATTEMPTS) {
                CompletableFuture.delayedExecutor(RETRY_AFTER.toMillis(), TimeUnit.MILLISECONDS).execute(() -> publish(what, attempt + 1, published));
            } else {
                LOG.log(System.Logger.Level.DEBUG, () -> "change notice " + what + " not published: " + io.sluice.domain.error.Failures.describe(error));
                published.complete(false);
            }
        });
    }

    private static final int ATTEMPTS = 5;
    private static final Duration RETRY_AFTER = Duration.ofMillis(200);
}
