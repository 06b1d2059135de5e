package io.sluice.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.jdbc.StorageSettings;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private GatewaySettings load(String yaml, Map<String, String> env) throws IOException {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(Optional.of(file), env, Map.of());
    }

    @Test
    void withNothingConfiguredTheSimulatorIsTheUpstream() throws IOException {
        GatewaySettings settings = load("sluice: {}\n", Map.of());

        assertThat(settings.startSimulator()).isTrue();
        assertThat(settings.passthroughProvider()).contains(ConfigLoader.SIMULATOR_PROVIDER);
        assertThat(settings.storage().dialect()).isEqualTo(StorageSettings.Dialect.H2);
        assertThat(settings.server().port()).isEqualTo(8080);
    }

    @Test
    void openAiKeyInTheEnvironmentForwardsUnconfiguredModels() throws IOException {
        GatewaySettings settings = load("sluice: {}\n", Map.of("OPENAI_API_KEY", "sk-real", "OPENAI_BASE_URL", "http://relay:8000/v1"));

        assertThat(settings.startSimulator()).isFalse();
        assertThat(settings.passthroughProvider()).contains("openai");
        assertThat(settings.providers()).singleElement().satisfies(p -> {
            assertThat(p.baseUrl()).isEqualTo("http://relay:8000/v1");
            assertThat(p.apiKey()).isEqualTo("sk-real");
            assertThat(p.toString()).doesNotContain("sk-real");
        });
    }

    @Test
    void providersModelsAndPricesAreMapped() throws IOException {
        GatewaySettings settings = load("""
                sluice:
                  server:
                    port: 9001
                  storage:
                    type: postgres
                    postgres:
                      url: jdbc:postgresql://db:5432/sluice
                  providers:
                    deepseek:
                      base-url: https://api.deepseek.com/v1
                      api-key: sk-ds
                      timeout: 20s
                  models:
                    gpt-4.1:
                      provider: deepseek
                      input-price: 8
                      output-price: 8
                    deepseek-v3.2:
                      provider: deepseek
                      upstream-name: deepseek-chat
                      context-window: 64000
                      input-price: 0.42
                      output-price: 2.80
                """, Map.of());

        assertThat(settings.server().port()).isEqualTo(9001);
        assertThat(settings.storage().dialect()).isEqualTo(StorageSettings.Dialect.POSTGRESQL);
        assertThat(settings.providers()).singleElement().satisfies(p -> assertThat(p.timeout()).hasSeconds(20));
        ModelSpec deepseek = settings.models().stream().filter(m -> m.name().equals("deepseek-v3.2")).findFirst().orElseThrow();
        assertThat(deepseek.upstreamName()).isEqualTo("deepseek-chat");
        assertThat(deepseek.contextWindow()).isEqualTo(64000);
        assertThat(deepseek.encoding()).isEqualTo(Encoding.O200K_BASE);
        assertThat(deepseek.prices().outputPerMillion()).isEqualByComparingTo(new BigDecimal("2.80"));
        assertThat(settings.models()).anySatisfy(m -> assertThat(m.name()).isEqualTo("gpt-4.1"));
    }

    @Test
    void modelsCanSetTheirOwnStrategyAndALargerFallback() throws IOException {
        GatewaySettings settings = load("""
                sluice:
                  providers:
                    a: {base-url: "http://a/v1"}
                  models:
                    small: {provider: a, context-window: 8000, context-strategy: "sliding_window(8)", context-fallback: large}
                    large: {provider: a, context-window: 128000}
                """, Map.of());

        assertThat(settings.context().modelStrategies()).containsEntry("small", new io.sluice.domain.context.ContextStrategy.SlidingWindow(8));
        assertThat(settings.context().contextFallbacks()).containsEntry("small", "large");
    }

    @Test
    void aFallbackThatIsNotLargerFailsNamingTheKey() {
        assertThatThrownBy(() -> load("""
                sluice:
                  providers:
                    a: {base-url: "http://a/v1"}
                  models:
                    small: {provider: a, context-window: 8000, context-fallback: tiny}
                    tiny: {provider: a, context-window: 4000}
                """, Map.of()))
                .isInstanceOf(ConfigProblem.class).hasMessageContaining("sluice.models.\"small\".context-fallback").hasMessageContaining("larger");
    }

    @Test
    void aModelNamingAnUnknownProviderFailsNamingTheKey() {
        assertThatThrownBy(() -> load("""
                sluice:
                  providers:
                    a: {base-url: "http://a/v1"}
                  models:
                    m1: {provider: nope}
                """, Map.of()))
                .isInstanceOf(ConfigProblem.class).hasMessageContaining("sluice.models.\"m1\".provider").hasMessageContaining("nope");
    }

    @Test
    void aValueOfTheWrongTypeFailsNamingTheKey() {
        assertThatThrownBy(() -> load("sluice:\n  server:\n    port: eighty\n", Map.of()))
                .isInstanceOf(ConfigProblem.class).hasMessageContaining("sluice.server.port");
    }

    @Test
    void aMissingRequiredValueFailsNamingTheKey() {
        assertThatThrownBy(() -> load("sluice:\n  providers:\n    a:\n      api-key: x\n", Map.of()))
                .isInstanceOf(ConfigProblem.class).hasMessageContaining("sluice.providers.a.base-url");
    }

    @Test
    void anUnknownStorageTypeFailsNamingTheKey() {
        assertThatThrownBy(() -> load("sluice:\n  storage:\n    type: mongo\n", Map.of()))
                .isInstanceOf(ConfigProblem.class).hasMessageContaining("sluice.storage.type").hasMessageContaining("mongo");
    }

    @Test
    void anUnknownEncodingFailsNamingTheKey() {
        assertThatThrownBy(() -> load("sluice:\n  fallback-encoding: p50k\n", Map.of()))
                .isInstanceOf(ConfigProblem.class).hasMessageContaining("sluice.fallback-encoding");
    }

    @Test
    void aPortOutOfRangeFailsNamingTheKey() {
        assertThatThrownBy(() -> load("sluice:\n  server:\n    port: 70000\n", Map.of()))
                .isInstanceOf(ConfigProblem.class).hasMessageContaining("sluice.server").hasMessageContaining("'port'");
    }

    @Test
    void commandLineOverridesWin() throws IOException {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, "sluice:\n  server:\n    port: 9001\n");
        GatewaySettings settings = ConfigLoader.load(Optional.of(file), Map.of(), Map.of("sluice.server.port", "9002"));
        assertThat(settings.server().port()).isEqualTo(9002);
    }

    @Test
    void aMissingConfigFileIsNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(dir.resolve("absent.yaml")), Map.of(), Map.of()))
                .isInstanceOf(ConfigProblem.class).hasMessageContaining("--config").hasMessageContaining("absent.yaml");
    }
}
