package io.sluice.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.sluice.domain.ConversationId;
import io.sluice.ports.out.CachedConversation;
import io.sluice.ports.out.ContextCache;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * {@link ContextCache} in Redis, shared by every gateway replica. One hash per conversation holds the version
 * ({@code seq}) and the entry ({@code data}); the version checks run as Lua scripts, so they are atomic across
 * replicas. A hash with a version and no data is a marker: that version exists, and nothing older may be stored.
 * Thread-safe.
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

    private final RedisAsyncCommands<String, String> redis;
    private final CachedConversationCodec codec;
    private final String ttlMillis;

    public RedisContextCache(RedisAsyncCommands<String, String> redis, ObjectMapper json, Duration ttl) {
        this.redis = redis;
        this.codec = new CachedConversationCodec(json);
        this.ttlMillis = Long.toString(ttl.toMillis());
    }

    @Override
    public CompletionStage<Optional<CachedConversation>> get(ConversationId id) {
        return redis.hget(key(id), "data").thenApply(data -> data == null ? Optional.empty() : Optional.of(codec.read(data)));
    }

    @Override
    public CompletionStage<Void> fill(CachedConversation entry) {
        return redis.<Long>eval(FILL, ScriptOutputType.INTEGER, new String[]{key(entry.conversation().id())},
                Long.toString(entry.lastSeq()), codec.write(entry), ttlMillis).thenApply(done -> null);
    }

    @Override
    public CompletionStage<Void> advance(long expectedLastSeq, CachedConversation next) {
        return redis.<Long>eval(ADVANCE, ScriptOutputType.INTEGER, new String[]{key(next.conversation().id())},
                Long.toString(expectedLastSeq), Long.toString(next.lastSeq()), codec.write(next), ttlMillis).thenApply(done -> null);
    }

    @Override
    public CompletionStage<Void> invalidate(ConversationId id) {
        return redis.del(key(id)).thenApply(done -> null);
    }

    private static String key(ConversationId id) {
        return KEY_PREFIX + id.value();
    }
}
