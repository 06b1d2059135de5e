package io.sluice.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.SetArgs;
import io.sluice.domain.Usage;
import io.sluice.ports.out.CachedAnswer;
import io.sluice.ports.out.ResponseCache;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link ResponseCache} in Redis, shared by every replica: one string per answer, {@code sluice:rc:} and the key's
 * digest, expiring with the answer ({@code SET … PX}). While Redis is unreachable every lookup is a miss and every put is
 * dropped; an entry that cannot be read (written by another version) is a miss. Thread-safe.
 */
public final class RedisResponseCache implements ResponseCache {
    static final String KEY_PREFIX = "sluice:rc:";
    private static final System.Logger LOG = System.getLogger(RedisResponseCache.class.getName());

    private final RedisLink redis;
    private final ObjectMapper json;
    private final Clock clock;

    public RedisResponseCache(RedisLink redis, ObjectMapper json, Clock clock) {
        this.redis = redis;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Optional<CachedAnswer>> get(String key) {
        if (!redis.available()) return CompletableFuture.completedFuture(Optional.empty());
        return redis.call(c -> c.get(KEY_PREFIX + key)).handle((data, error) -> {
            if (error != null || data == null) return Optional.empty();
            try {
                return Optional.of(read(data)).filter(a -> a.expires().isAfter(clock.instant()));
            } catch (IOException | RuntimeException unreadable) {
                LOG.log(System.Logger.Level.DEBUG, "unreadable response cache entry skipped (" + unreadable.getClass().getSimpleName() + ")");
                return Optional.empty();
            }
        });
    }

    @Override
    public CompletionStage<Void> put(String key, CachedAnswer answer) {
        long ttl = Duration.between(clock.instant(), answer.expires()).toMillis();
        if (ttl <= 0 || !redis.available()) return CompletableFuture.completedFuture(null);
        return redis.call(c -> c.set(KEY_PREFIX + key, write(answer), SetArgs.Builder.px(ttl))).handle((ok, error) -> null);
    }

    private String write(CachedAnswer a) {
        ObjectNode root = json.createObjectNode().put("v", 1).put("model", a.model()).put("finish", a.finishReason())
                .put("cost", a.cost().toPlainString()).put("expires", a.expires().toString());
        root.putObject("usage").put("in", a.usage().promptTokens()).put("out", a.usage().completionTokens())
                .put("cached", a.usage().cachedPromptTokens()).put("written", a.usage().cacheWriteTokens());
        ChatMessageJson.write(root.putObject("message"), a.message());
        return root.toString();
    }

    private CachedAnswer read(String data) throws IOException {
        JsonNode root = json.readTree(data);
        if (root.path("v").asInt() != 1) throw new IOException("unknown entry version");
        JsonNode u = root.path("usage");
        return new CachedAnswer(root.path("model").asText(), ChatMessageJson.read(root.path("message")), ChatMessageJson.text(root.path("finish")),
                new Usage(u.path("in").asInt(), u.path("out").asInt(), u.path("cached").asInt(), u.path("written").asInt()),
                new BigDecimal(root.path("cost").asText()), Instant.parse(root.path("expires").asText()));
    }
}
