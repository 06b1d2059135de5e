package io.sluice.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.sluice.domain.error.SharedStoreUnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The gateway's one connection to Redis, made so that Redis going away never hangs a call: every command carries a
 * short timeout (well inside any call's deadline); while the connection is down, commands fail at once instead of
 * queueing; after a timeout, commands fail at once for {@link #SUSPECT_FOR} rather than each waiting out its own. The
 * gateway starts while Redis is down: the first connection is made in the background, and retried until it succeeds;
 * Lettuce reconnects after that. Every failure to reach Redis is a {@link SharedStoreUnavailableException}. Thread-safe.
 */
public final class RedisLink implements AutoCloseable {
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(500);
    static final Duration SUSPECT_FOR = Duration.ofSeconds(1);
    private static final Duration CONNECT_RETRY = Duration.ofSeconds(1);
    private static final System.Logger LOG = System.getLogger(RedisLink.class.getName());

    static final Duration RECONNECT_EVERY = Duration.ofMillis(500);

    private final io.lettuce.core.resource.ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private final ScheduledExecutorService connector = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sluice-redis-connect");
        t.setDaemon(true);
        return t;
    });
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile long suspectUntil = Long.MIN_VALUE;
    private volatile boolean closed;
    private final CompletableFuture<Void> firstConnection = new CompletableFuture<>();

    private RedisLink(String uri, Duration commandTimeout) {
        this.uri = RedisURI.create(uri);
        // reconnect every half second, not Lettuce's default backoff to 30 s: back within a second of Redis
        this.resources = io.lettuce.core.resource.ClientResources.builder()
                .reconnectDelay(io.lettuce.core.resource.Delay.constant(RECONNECT_EVERY)).build();
        this.client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout.multipliedBy(2)).build())
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout)).build());
    }

    /** A link to {@code uri} whose commands time out after {@code commandTimeout}; connects in the background. */
    public static RedisLink open(String uri, Duration commandTimeout) {
        RedisLink link = new RedisLink(uri, commandTimeout);
        link.connect();
        return link;
    }

    private void connect() {
        if (closed) return;
        client.connectAsync(StringCodec.UTF8, uri).whenComplete((c, error) -> {
            if (error == null) {
                if (closed) {
                    c.closeAsync();
                    return;
                }
                connection = c;
                firstConnection.complete(null);
                LOG.log(System.Logger.Level.INFO, "connected to Redis");
                return;
            }
            if (connection == null) LOG.log(System.Logger.Level.WARNING, "Redis is unreachable; connecting again in " + CONNECT_RETRY.toMillis() + " ms");
            if (!closed) connector.schedule(this::connect, CONNECT_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /** Waits up to {@code wait} for the first connection; returns whether it was made (start-up goes on either way). */
    public boolean awaitConnection(Duration wait) {
        try {
            firstConnection.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether Redis is reachable now, as the connection last saw it. */
    public boolean available() {
        StatefulRedisConnection<String, String> c = connection;
        return c != null && c.isOpen() && System.nanoTime() >= suspectUntil;
    }

    /** Runs one command; fails at once with a {@link SharedStoreUnavailableException} while Redis is unreachable. */
    public <T> CompletionStage<T> call(Function<RedisAsyncCommands<String, String>, RedisFuture<T>> command) {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null || !c.isOpen() || System.nanoTime() < suspectUntil) {
            return CompletableFuture.failedFuture(new SharedStoreUnavailableException("Redis is unreachable", null));
        }
        return command.apply(c.async()).toCompletableFuture().exceptionallyCompose(error -> {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof RedisCommandExecutionException) return CompletableFuture.failedFuture(cause); // Redis answered: an error of ours
            if (cause instanceof io.lettuce.core.RedisCommandTimeoutException) suspectUntil = System.nanoTime() + SUSPECT_FOR.toNanos();
            return CompletableFuture.failedFuture(new SharedStoreUnavailableException("Redis did not answer", cause));
        });
    }

    /** A subscription to a channel, on a connection of its own. */
    public interface Subscription {
        /** Whether it is connected now: while it is not, notices published are missed. */
        boolean live();
    }

    /**
     * Subscribes to {@code channel} on a pub/sub connection of its own, made in the background and retried as the link's
     * is; Lettuce reconnects it and subscribes again. {@code onMessage} runs on Lettuce's thread: it must not block.
     */
    public Subscription subscribe(String channel, java.util.function.Consumer<String> onMessage) {
        java.util.concurrent.atomic.AtomicReference<io.lettuce.core.pubsub.StatefulRedisPubSubConnection<String, String>> held =
                new java.util.concurrent.atomic.AtomicReference<>();
        subscribe(channel, onMessage, held);
        return () -> {
            var c = held.get();
            return c != null && c.isOpen();
        };
    }

    private void subscribe(String channel, java.util.function.Consumer<String> onMessage,
                           java.util.concurrent.atomic.AtomicReference<io.lettuce.core.pubsub.StatefulRedisPubSubConnection<String, String>> held) {
        if (closed) return;
        client.connectPubSubAsync(StringCodec.UTF8, uri).thenCompose(c -> {
            c.addListener(new io.lettuce.core.pubsub.RedisPubSubAdapter<>() {
                @Override
                public void message(String from, String message) {
                    onMessage.accept(message);
                }
            });
            // a refused SUBSCRIBE (an ACL without the channel, a timeout) closes its connection: the retry makes a new one
            return c.async().subscribe(channel).thenApply(ok -> c).exceptionallyCompose(error -> {
                c.closeAsync();
                return CompletableFuture.failedFuture(error);
            });
        }).whenComplete((c, error) -> {
            if (error == null && !closed) {
                held.set(c);
                subscriptions.add(c);
                LOG.log(System.Logger.Level.INFO, "subscribed to Redis channel " + channel);
            } else if (error == null) {
                c.closeAsync();
            } else if (!closed) {
                connector.schedule(() -> subscribe(channel, onMessage, held), CONNECT_RETRY.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    private final java.util.List<io.lettuce.core.pubsub.StatefulRedisPubSubConnection<String, String>> subscriptions =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void close() {
        closed = true;
        subscriptions.forEach(io.lettuce.core.pubsub.StatefulRedisPubSubConnection::close);
        connector.shutdownNow();
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) c.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
