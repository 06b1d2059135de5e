package io.sluice.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ScriptOutputType;
import io.sluice.domain.ConversationId;
import io.sluice.ports.out.CachedConversation;
import io.sluice.ports.out.ContextCache;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link ContextCache} in Redis, shared by every gateway replica. One hash per conversation holds the version
 * ({@code seq}) and the entry ({@code data}); the version checks run as Lua scripts, so they are atomic across
 * replicas. A hash with a version and no data is a marker: that version exists, and nothing older may be stored.
 *
 * <p>While Redis is unreachable the cache is a miss, and writes are dropped. An entry whose advance or invalidation
 * was dropped may be stale (it lacks the turns stored meanwhile): it is remembered, and deleted as soon as Redis
 * answers again, before this replica reads it; other replicas read it only until then. Thread-safe.
 */
public final class RedisContextCache implements ContextCache {
    static final String KEY_PREFIX = "sluice:ctx:";

    /** KEYS[1]; ARGV: seq, data, ttl ms. Stores unless a newer version, or this version with data, is there. */
    private static final String FILL = """
            local cur = redis.call('HGET', KEYS[1], 'seq')
            local hasData = redis.call('HEXISTS', KEYS[1], 'data')
            local seq = tonumber(ARGV[1])
            if (not cur) or tonumber(cur) < seq or (tonumber(cur) == seq and hasData == 0) then
              redis.call('DEL', KEYS[1])
              redis.call('HSET', KEYS[1], 'seq', ARGV[1], 'data', ARGV[2])
              redis.call('PEXPIRE', KEYS[1], ARGV[3])
              return 1
            end
            return 0""";

    /** KEYS[1]; ARGV: expected seq, next seq, next data, ttl ms. Replaces the expected version, else leaves a marker. */
    private static final String ADVANCE = """
            local cur = redis.call('HGET', KEYS[1], 'seq')
            local hasData = redis.call('HEXISTS', KEYS[1], 'data')
            if cur and hasData == 1 and tonumber(cur) == tonumber(ARGV[1]) then
              redis.call('HSET', KEYS[1], 'seq', ARGV[2], 'data', ARGV[3])
              redis.call('PEXPIRE', KEYS[1], ARGV[4])
              return 1
            end
            if (not cur) or tonumber(cur) < tonumber(ARGV[2]) then
              redis.call('DEL', KEYS[1])
              redis.call('HSET', KEYS[1], 'seq', ARGV[2])
              redis.call('PEXPIRE', KEYS[1], ARGV[4])
              return 2
            end
            return 0""";

    /** More entries than this waiting to be deleted are not remembered: a longer outage than any cache TTL is assumed. */
    static final int MAX_STALE = 100_000;
    private static final System.Logger LOG = System.getLogger(RedisContextCache.class.getName());

    private final RedisLink redis;
    private final java.util.Set<String> stale = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();
    private final CachedConversationCodec codec;
    private final String ttlMillis;

    public RedisContextCache(RedisLink redis, ObjectMapper json, Duration ttl) {
        this.redis = redis;
        this.codec = new CachedConversationCodec(json);
        this.ttlMillis = Long.toString(ttl.toMillis());
    }

    @Override
    public CompletionStage<Optional<CachedConversation>> get(ConversationId id) {
        if (!redis.available()) return CompletableFuture.completedFuture(Optional.empty());
        if (!stale.isEmpty()) drainStale();
        if (stale.contains(key(id))) return CompletableFuture.completedFuture(Optional.empty());
        return redis.call(c -> c.hget(key(id), "data")).handle((data, error) -> {
            if (error == null) return data == null ? Optional.<CachedConversation>empty() : Optional.of(codec.read(data));
            if (unreachable(error)) return Optional.empty();
            throw rethrown(error);
        });
    }

    private static java.util.concurrent.CompletionException rethrown(Throwable error) {
        return error instanceof java.util.concurrent.CompletionException ce ? ce : new java.util.concurrent.CompletionException(error);
    }

    /** Deletes the entries whose writes were dropped while Redis was unreachable; one drain at a time. */
    private void drainStale() {
        if (!draining.compareAndSet(false, true)) return;
        String[] keys = stale.toArray(String[]::new);
        redis.call(c -> c.del(keys)).whenComplete((deleted, error) -> {
            if (error == null) {
                for (String k : keys) stale.remove(k);
                LOG.log(System.Logger.Level.INFO, keys.length + " context cache entries written while Redis was unreachable were deleted");
            }
            draining.set(false);
        });
    }

    /** A write Redis did not take: the entry it would have replaced or deleted may now be stale. */
    private CompletionStage<Void> dropped(CompletionStage<?> write, ConversationId id) {
        return write.handle((done, error) -> {
            if (error == null) return null;
            if (!unreachable(error)) throw rethrown(error);
            if (stale.size() < MAX_STALE) stale.add(key(id));
            return null;
        });
    }

    private static boolean unreachable(Throwable error) {
        return io.sluice.domain.error.Failures.cause(error) instanceof io.sluice.domain.error.SharedStoreUnavailableException;
    }

    @Override
    public CompletionStage<Void> fill(CachedConversation entry) {
        // a fill that Redis did not take leaves nothing stale: it would only have added what the store holds
        return redis.call(c -> c.<Long>eval(FILL, ScriptOutputType.INTEGER, new String[]{key(entry.conversation().id())},
                Long.toString(entry.lastSeq()), codec.write(entry), ttlMillis)).handle((done, error) -> {
                    if (error != null && !unreachable(error)) throw rethrown(error);
                    return null;
                });
    }

    @Override
    public CompletionStage<Void> advance(long expectedLastSeq, CachedConversation next) {
        return dropped(redis.call(c -> c.<Long>eval(ADVANCE, ScriptOutputType.INTEGER, new String[]{key(next.conversation().id())},
                Long.toString(expectedLastSeq), Long.toString(next.lastSeq()), codec.write(next), ttlMillis)), next.conversation().id());
    }

    @Override
    public CompletionStage<Void> invalidate(ConversationId id) {
        return dropped(redis.call(c -> c.del(key(id))), id);
    }

    private static String key(ConversationId id) {
        return KEY_PREFIX + id.value();
    }
}
