package io.sluice.engine.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ports.in.CacheDirective;
import org.junit.jupiter.api.Test;

class CacheDirectiveTest {
    @Test
    void cacheControlIsReadAsHttpDefinesItAndAnythingElseIsIgnored() {
        assertThat(CacheDirective.parse(null)).isEqualTo(CacheDirective.DEFAULT);
        assertThat(CacheDirective.parse("max-age=60")).isEqualTo(CacheDirective.DEFAULT);
        assertThat(CacheDirective.parse("No-Cache")).isEqualTo(CacheDirective.NO_CACHE);
        assertThat(CacheDirective.parse("max-age=0, no-cache=\"x\"")).isEqualTo(CacheDirective.NO_CACHE);
        assertThat(CacheDirective.parse("no-cache, no-store")).isEqualTo(CacheDirective.NO_STORE);
        assertThat(CacheDirective.parse("no-cachex, nostore")).isEqualTo(CacheDirective.DEFAULT);
        assertThat(CacheDirective.parse("no-store" + ",".repeat(2000))).as("too long to be a real header: ignored").isEqualTo(CacheDirective.DEFAULT);
        assertThat(CacheDirective.NO_CACHE.mayRead()).isFalse();
        assertThat(CacheDirective.NO_CACHE.mayStore()).isTrue();
        assertThat(CacheDirective.NO_STORE.mayStore()).isFalse();
    }
}
