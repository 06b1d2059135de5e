package io.sluice.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice.response-cache}: off by default; every value read, every mistake named by its key at start. */
class ResponseCacheConfigTest {
    @TempDir
    Path dir;

    private ResponseCacheSettings load(String cache) throws IOException {
        Path file = Files.writeString(dir.resolve("sluice.yaml"), """
                sluice:
                  models:
                    support-bot: {provider: simulator, upstream-name: gpt-4o-mini}
                  routes:
                    support: {chain: [{model: support-bot}]}
                  response-cache:
                %s
                """.formatted(cache));
        return ConfigLoader.load(Optional.of(file), Map.of(), Map.of()).responseCache();
    }

    @Test
    void itIsOffByDefaultAndReadsEverySetting() throws IOException {
        assertThat(ConfigLoader.load(Optional.empty(), Map.of(), Map.of()).responseCache().enabled()).isFalse();
        ResponseCacheSettings set = load("""
                    enabled: true
                    scope: shared
                    ttl: 10m
                    route-ttl: {support: 30s}
                    model-ttl: {support-bot: 2h}
                    max-bytes: 1048576
                    max-temperature: 0.3
                    tool-calls: true
                    coalesce: false
                    semantic: {enabled: true, threshold: 0.92, max-entries: 500}""".indent(4));
        assertThat(set.enabled()).isTrue();
        assertThat(set.shared()).isTrue();
        assertThat(set.ttl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(set.routeTtl()).containsEntry("support", Duration.ofSeconds(30));
        assertThat(set.modelTtl()).containsEntry("support-bot", Duration.ofHours(2));
        assertThat(set.maxBytes()).isEqualTo(1 << 20);
        assertThat(set.maxTemperature()).isEqualTo(0.3);
        assertThat(set.toolCalls()).isTrue();
        assertThat(set.coalesce()).isFalse();
        assertThat(set.semantic()).isTrue();
        assertThat(set.semanticThreshold()).isEqualTo(0.92);
        assertThat(set.semanticMaxEntries()).isEqualTo(500);
        assertThat(set.redis()).isFalse();
    }

    @Test
    void aMistakeIsNamedByItsKey() {
        Map<String, String> mistakes = Map.of(
                "    scope: everyone", "sluice.response-cache.scope",
                "    store: memcached", "sluice.response-cache.store",
                "    ttl: 0s", "sluice.response-cache.ttl",
                "    route-ttl: {nowhere: 1m}", "sluice.response-cache.route-ttl",
                "    model-ttl: {support-bot: 0s}", "sluice.response-cache.model-ttl.support-bot",
                "    max-temperature: 3", "sluice.response-cache.max-temperature",
                "    max-bytes: 10", "sluice.response-cache.max-bytes",
                "    semantic: {enabled: true, threshold: 1.5}", "sluice.response-cache.semantic.threshold",
                "    semantic: {enabled: true, embedder: no-such-model}", "sluice.response-cache.semantic.embedder");
        mistakes.forEach((yaml, key) -> assertThatThrownBy(() -> load("    enabled: true\n" + yaml)).as(yaml)
                .isInstanceOf(ConfigProblem.class).hasMessageContaining(key));
    }
}
