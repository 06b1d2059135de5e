package io.sluice.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.jdbc.StorageSettings;
import io.sluice.ports.out.ProviderSettings;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private GatewaySettings load(String yaml, Map<String, String> env) throws IOException {
        return load(dir, yaml, env);
    }

    /** The settings of {@code yaml}, written as {@code sluice.yaml} in {@code dir}, with {@code env} as the environment. */
    static GatewaySettings load(Path dir, String yaml, Map<String, String> env) throws IOException {
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
        assertThat(settings.server().maxEventLoopLag()).isEqualTo(java.time.Duration.ofMillis(500));
    }

    @Test
    void theContextCacheIsBoundedInBytesAndItsFormerBoundInTokensIsRefusedNamingItsReplacement() throws IOException {
        assertThat(load("sluice: {}\n", Map.of()).cache().maxBytes()).isEqualTo(128L << 20);
        assertThat(load("sluice: {context: {cache: {max-bytes: 1048576}}}\n", Map.of()).cache().maxBytes()).isEqualTo(1L << 20);
        assertThatThrownBy(() -> load("sluice: {context: {cache: {max-bytes: 100}}}\n", Map.of())).isInstanceOf(ConfigProblem.class)
                .hasMessageContaining("sluice.context.cache").hasMessageContaining("at least 1024");
        assertThatThrownBy(() -> load("sluice: {context: {cache: {max-total-tokens: 20000000}}}\n", Map.of())).isInstanceOf(ConfigProblem.class)
                .hasMessageContaining("sluice.context.cache.max-total-tokens").hasMessageContaining("sluice.context.cache.max-bytes");
    }

    @Test
    void loadSheddingIsSetByTheLagAnEventLoopMayFallBehindAndZeroTurnsItOff() throws IOException {
        assertThat(load("sluice: {server: {max-event-loop-lag: 2s}}\n", Map.of()).server().maxEventLoopLag()).hasSeconds(2);
        Path file = Files.writeString(dir.resolve("sluice.yaml"), "sluice: {}\n");
        assertThat(ConfigLoader.load(Optional.of(file), Map.of(), Map.of("sluice.server.max-event-loop-lag", "0")).server().maxEventLoopLag())
                .isZero();
    }

    @Test
    void anEnvironmentReferenceIsExpandedAndOneUnsetWithAnEmptyDefaultLeavesItsKeyUnset() throws IOException {
        String yaml = """
                sluice:
                  auth: {admin-key: "${SLUICE_TEST_ADMIN_KEY:}"}
                  providers:
                    up: {type: openai, base-url: "http://127.0.0.1:1/v1", api-key: "${SLUICE_TEST_UPSTREAM_KEY:}"}
                """;
        GatewaySettings unset = load(yaml, Map.of());
        assertThat(unset.server().adminKeyHash()).as("no admin key, not the literal text").isEmpty();
        assertThat(unset.providers().getFirst().apiKey()).as("no upstream key, not the literal text").isNull();

        Path file = Files.writeString(dir.resolve("expanded.yaml"), yaml);
        GatewaySettings set = ConfigLoader.load(Optional.of(file), Map.of(),
                Map.of("SLUICE_TEST_ADMIN_KEY", "a-long-enough-admin-secret", "SLUICE_TEST_UPSTREAM_KEY", "sk-upstream"));
        assertThat(set.server().adminKeyHash()).contains(io.sluice.domain.keys.KeySecrets.hash("a-long-enough-admin-secret"));
        assertThat(set.providers().getFirst().apiKey()).isEqualTo("sk-upstream");

        assertThatThrownBy(() -> load("sluice: {auth: {admin-key: \"${SLUICE_TEST_NEVER_SET}\"}}\n", Map.of()))
                .as("a reference with no default and no value is an error that names the key").isInstanceOf(ConfigProblem.class)
                .hasMessageContaining("sluice.auth.admin-key");
        assertThatThrownBy(() -> load("sluice: {providers: {up: {type: openai, base-url: \"http://127.0.0.1:1/v1\", "
                + "api-key: \"${SLUICE_TEST_NEVER_SET_EITHER}\"}}}\n", Map.of()))
                .as("for any key, not the admin key alone").isInstanceOf(ConfigProblem.class)
                .hasMessageContaining("sluice.providers.up.api-key").hasMessageContaining("SLUICE_TEST_NEVER_SET_EITHER");
    }

    @Test
    void budgetHoldsExpireAfterTheirMarginAndAreSweptOnTheirIntervalAndAZeroMarginNamesItsKey() throws IOException {
        LimitSettings.Holds holds = load("sluice: {}\n", Map.of()).limits().holds();
        assertThat(holds.margin()).hasMinutes(2);
        assertThat(holds.sweepInterval()).hasSeconds(10);
        holds = load("sluice: {budgets: {hold-margin: 1s, sweep-interval: 250ms}}\n", Map.of()).limits().holds();
        assertThat(holds.margin()).hasSeconds(1);
        assertThat(holds.sweepInterval()).hasMillis(250);
        assertThatThrownBy(() -> load("sluice: {budgets: {hold-margin: 0s}}\n", Map.of())).isInstanceOf(ConfigProblem.class)
                .hasMessageContaining("sluice.budgets.hold-margin");
    }

    @Test
    void budgetsAreReportedAt80And100PercentAndAWebhookMustBeAnHttpUrl() throws IOException {
        assertThat(load("sluice: {}\n", Map.of()).limits().alerts()).isEqualTo(LimitSettings.Alerts.DEFAULTS);
        var alerts = load("sluice: {budgets: {alert-at: '50,90,100', webhook: {url: 'https://ops.example.com/hooks', secret: whsec}}}\n", Map.of())
                .limits().alerts();
        assertThat(alerts.thresholds()).containsExactly(50, 90, 100);
        assertThat(alerts.webhook()).contains(java.net.URI.create("https://ops.example.com/hooks"));
        for (String url : List.of("file:///etc/passwd", "ops.example.com/hooks", "http://")) {
            assertThatThrownBy(() -> load("sluice: {budgets: {webhook: {url: '" + url + "'}}}\n", Map.of())).isInstanceOf(ConfigProblem.class)
                    .hasMessageContaining("sluice.budgets.webhook.url");
        }
        assertThatThrownBy(() -> load("sluice: {budgets: {alert-at: '0,100'}}\n", Map.of())).isInstanceOf(ConfigProblem.class)
                .hasMessageContaining("sluice.budgets.alert-at");
    }

    @Test
    void aCanaryNamesTwoDeploymentsOfItsRouteAndRisingRampSteps() throws IOException {
        String route = """
                sluice:
                  providers: {up: {type: openai, base-url: "http://127.0.0.1:9", api-key: k}}
                  models: {big: {provider: up}, small: {provider: up}}
                  routes:
                    split:
                      deployments:
                        stable: {weight: 90, chain: [{model: big}]}
                        canary: {weight: 10, chain: [{model: small}]}
                      canary: %s
                """;
        var policy = load(route.formatted("{deployment: canary, stable: stable, ramp: [25, 50, 100], ramp-every: 30m}"), Map.of())
                .sla().routing().canaries().getFirst();
        assertThat(policy.ramp()).containsExactly(25, 50, 100);
        assertThat(policy.rampEvery()).hasMinutes(30);
        assertThat(policy.minCalls()).isEqualTo(20);
        assertThatThrownBy(() -> load(route.formatted("{deployment: canari, stable: stable}"), Map.of())).isInstanceOf(ConfigProblem.class)
                .hasMessageContaining("sluice.routes.\"split\".canary").hasMessageContaining("canari");
        assertThatThrownBy(() -> load(route.formatted("{deployment: canary, stable: stable, ramp: [50, 25]}"), Map.of())).isInstanceOf(ConfigProblem.class)
                .hasMessageContaining("ramp");
    }

    @Test
    void logsAreTextLinesWithNoCallRecordsByDefaultAndAnUnknownFormatNamesItsKey() throws IOException {
        assertThat(load("sluice: {}\n", Map.of()).log()).isEqualTo(io.sluice.app.logging.LogSettings.DEFAULTS);
        assertThatThrownBy(() -> load("sluice: {log: {format: xml}}\n", Map.of())).isInstanceOf(ConfigProblem.class)
                .hasMessageContaining("sluice.log.format").hasMessageContaining("text or json");
    }

    @Test
    void connectionTimeoutsHaveDefaultsAndTheIdleOneMustOutlastEveryProvidersSilence() throws IOException {
        GatewaySettings defaults = load("sluice: {}\n", Map.of());
        assertThat(defaults.server().idleTimeout()).hasMinutes(2);
        assertThat(defaults.server().requestReadTimeout()).hasSeconds(30);
        assertThat(load("sluice: {server: {idle-timeout: 10m, request-read-timeout: 5s}}\n", Map.of()).server().requestReadTimeout()).hasSeconds(5);
        assertThatThrownBy(() -> load("sluice: {providers: {slow: {type: openai, base-url: \"http://127.0.0.1:1/v1\", api-key: k, timeout: 3m}}}\n",
                Map.of())).isInstanceOf(ConfigProblem.class).hasMessageContaining("sluice.server.idle-timeout").hasMessageContaining("slow");
    }

    @Test
    void redisOutageRetentionAndTheirBadValues() throws IOException {
        GatewaySettings defaults = load("sluice: {}\n", Map.of());
        assertThat(defaults.redis()).isEqualTo(RedisSettings.DEFAULTS);
        assertThat(defaults.retention().days()).isZero();
        GatewaySettings set = load("""
                sluice:
                  redis: {command-timeout: 200ms}
                  limits: {replicas: 3}
                  budgets: {on-redis-outage: fail-open}
                  retention: {days: 30, owners: {bank: 365, demo: 1}, sweep-interval: 10m, ledger-days: 400}
                """, Map.of());
        assertThat(set.retention().ledgerDays()).isEqualTo(400);
        assertThat(defaults.retention().ledgerDays()).as("raw ledger rows kept for ever").isZero();
        assertThat(set.redis()).isEqualTo(new RedisSettings(java.time.Duration.ofMillis(200), 3, true));
        assertThat(set.retention().days()).isEqualTo(30);
        assertThat(set.retention().perOwner()).containsEntry("bank", 365).containsEntry("demo", 1);
        assertThat(set.retention().sweepInterval()).hasMinutes(10);
        assertThatThrownBy(() -> load("sluice: {budgets: {on-redis-outage: maybe}}\n", Map.of())).isInstanceOf(ConfigProblem.class)
                .hasMessageContaining("sluice.budgets.on-redis-outage");
        assertThatThrownBy(() -> load("sluice: {limits: {replicas: 0}}\n", Map.of())).isInstanceOf(ConfigProblem.class)
                .hasMessageContaining("sluice.limits.replicas");
        assertThatThrownBy(() -> load("sluice: {retention: {days: -1}}\n", Map.of())).isInstanceOf(ConfigProblem.class)
                .hasMessageContaining("sluice.retention");
        assertThatThrownBy(() -> load("sluice: {retention: {ledger-days: 7}}\n", Map.of())).isInstanceOf(ConfigProblem.class)
                .hasMessageContaining("sluice.retention").hasMessageContaining("at least 32");
    }

    @Test
    void billsAreCommittedBeforeTheAnswerUnlessConfiguredOtherwise() throws IOException {
        assertThat(load("sluice: {}\n", Map.of()).commitBillBeforeAnswer()).isTrue();
        assertThat(load("sluice: {storage: {commit-bill-before-answer: false}}\n", Map.of()).commitBillBeforeAnswer()).isFalse();
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
                      http-version: 2
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
        assertThat(settings.providers()).singleElement().satisfies(p -> {
            assertThat(p.timeout()).hasSeconds(20);
            assertThat(p.httpVersion()).isEqualTo(ProviderSettings.HttpVersion.HTTP_2);
        });
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

        assertThat(settings.context().modelStrategies()).containsEntry("small", new io.sluice.domain.ContextStrategy.SlidingWindow(8));
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
    void anUnknownHttpVersionFailsNamingTheKey() {
        assertThatThrownBy(() -> load("sluice:\n  providers:\n    a:\n      base-url: http://x/v1\n      http-version: 3\n", Map.of()))
                .isInstanceOf(ConfigProblem.class).hasMessageContaining("sluice.providers.a.http-version").hasMessageContaining("use 1.1 or 2");
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

    /** Two models on one provider, for the tests of what is configured over models. */
    static final String MODELS = """
            sluice:
              providers:
                a:
                  base-url: "http://a/v1"
                  keys:
                    - {key: k1, rpm: 100, tpm: 40000}
              models:
                big: {provider: a}
                small: {provider: a}
            """;

    @Test
    void rateLimitsAreMappedAndANegativeOneFailsNamingTheKey() throws IOException {
        GatewaySettings settings = load(MODELS + """
                  limits:
                    store: redis
                    key: {rpm: 600, tpm: 200000}
                    user: {rpm: 20}
                    models:
                      big: {tpm: 50000}
                """, Map.of());
        var limits = settings.limits().limits();
        assertThat(settings.limits().shared()).isTrue();
        assertThat(limits.keyRpm()).isEqualTo(600);
        assertThat(limits.keyTpm()).isEqualTo(200_000);
        assertThat(limits.userRpm()).isEqualTo(20);
        assertThat(limits.models().get("big")).containsExactly(0L, 50_000L);
        assertThat(load(MODELS, Map.of()).limits().limits().isEmpty()).isTrue();

        assertThatThrownBy(() -> load(MODELS + "  limits: {user: {rpm: -1}}\n", Map.of()))
                .isInstanceOf(ConfigProblem.class).hasMessageContaining("sluice.limits.user.rpm");
        assertThatThrownBy(() -> load(MODELS + "  limits: {store: memcached}\n", Map.of()))
                .isInstanceOf(ConfigProblem.class).hasMessageContaining("sluice.limits.store");
    }

    @Test
    void budgetsAreExactDecimalsAndANegativeOneFailsNamingTheKey() throws IOException {
        GatewaySettings settings = load(MODELS + """
                  budgets:
                    global: {month: "1000.00"}
                    key: {day: "25.50"}
                    conversation: {total: "0.10"}
                """, Map.of());
        assertThat(settings.limits().budgets()).extracting(b -> b.scope() + " " + b.period() + " " + b.limitUsd().toPlainString())
                .containsExactlyInAnyOrder("GLOBAL MONTH 1000.00", "KEY DAY 25.50", "CONVERSATION TOTAL 0.10");
        assertThatThrownBy(() -> load(MODELS + "  budgets: {user: {day: -5}}\n", Map.of()))
                .isInstanceOf(ConfigProblem.class).hasMessageContaining("sluice.budgets.user.day");
    }
}
