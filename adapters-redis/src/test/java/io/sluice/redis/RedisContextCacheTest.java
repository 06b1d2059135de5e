package io.sluice.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sluice.ports.out.ContextCache;
import io.sluice.testkit.contract.ContextCacheContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;

/** The cache contract against the real Redis that the test script starts. */
class RedisContextCacheTest extends ContextCacheContract {
    private static final RedisClient CLIENT = RedisClient.create(System.getenv().getOrDefault("SLUICE_TEST_REDIS_URI", "redis://127.0.0.1:6379"));
    private static final StatefulRedisConnection<String, String> CONNECTION = CLIENT.connect();

    @AfterAll
    static void close() {
        CONNECTION.close();
        CLIENT.shutdown();
    }

    @Override
    protected ContextCache create(Duration ttl) {
        return new RedisContextCache(CONNECTION.async(), new ObjectMapper(), ttl);
    }
}
