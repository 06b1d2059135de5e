package io.sluice.engine.cache;

import io.sluice.ports.out.ContextCache;
import io.sluice.testkit.contract.ContextCacheContract;
import java.time.Duration;

class LocalContextCacheTest extends ContextCacheContract {
    @Override
    protected ContextCache create(Duration ttl) {
        return new LocalContextCache(ttl, LocalContextCache.DEFAULT_MAX_BYTES);
    }
}
