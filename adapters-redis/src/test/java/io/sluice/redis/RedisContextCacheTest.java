package io.sluice.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.ports.out.ContextCache;
import io.sluice.testkit.contract.ContextCacheContract;
import java.time.Duration;

/** The cache contract against the real Redis that the test script starts. */
class RedisContextCacheTest extends ContextCacheContract {
    @Override
    protected ContextCache create(Duration ttl) {
        return new RedisContextCache(TestRedis.link(), new ObjectMapper(), ttl);
    }
}
