package io.sluice.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice.sla} and {@code sluice.routes} read from YAML: tiers, circuits per endpoint, routes, time windows, the classifier. */
class SlaConfigTest {
    private static final String MODELS = ConfigLoaderTest.MODELS;

    @TempDir
    Path dir;

    private GatewaySettings load(String yaml, Map<String, String> env) throws IOException {
        return ConfigLoaderTest.load(dir, yaml, env);
    }

    @Test
    void aTierMaySetFallbackAfterKeepingTheBuiltInTimeoutsAndANewTierNeedsThemAll() throws IOException {
        var tiers = load("sluice: {sla: {tiers: {normal: {fallback-after: 1500ms}}}}\n", Map.of()).sla().tiers();
        assertThat(tiers.get("normal").fallbackAfter()).contains(java.time.Duration.ofMillis(1500));
        assertThat(tiers.get("normal").deadline()).isEqualTo(io.sluice.domain.sla.SlaTier.NORMAL.deadline());
        assertThat(tiers.get("deep").fallbackAfter()).as("off unless set").isEmpty();
        assertThatThrownBy(() -> load("sluice: {sla: {tiers: {normal: {fallback-after: 3s}}}}\n", Map.of()))
                .isInstanceOf(ConfigProblem.class).hasMessageContaining("sluice.sla.tiers.normal").hasMessageContaining("shorter than the deadline");
        assertThatThrownBy(() -> load("sluice: {sla: {tiers: {vip: {deadline: 5s}}}}\n", Map.of()))
                .isInstanceOf(ConfigProblem.class).hasMessageContaining("connect-timeout");
    }

    @Test
    void anEndpointMaySetItsOwnCircuitTakingTheRestFromTheGateways() throws IOException {
        String yaml = """
                sluice:
                  sla: {circuit: {failure-rate: 40}}
                  providers:
                    flaky: {base-url: "http://127.0.0.1:1/v1", api-key: k, circuit: {minimum-calls: 3, open-for: 5s}}
                    steady: {base-url: "http://127.0.0.1:2/v1", api-key: k}
                """;
        var sla = load(yaml, Map.of()).sla();
        var flaky = sla.endpointCircuits().get("flaky");
        assertThat(flaky.minimumCalls()).isEqualTo(3);
        assertThat(flaky.openFor()).hasSeconds(5);
        assertThat(flaky.failureRatePercent()).as("from sluice.sla.circuit").isEqualTo(40);
        assertThat(flaky.window()).isEqualTo(io.sluice.domain.sla.CircuitSettings.DEFAULTS.window());
        assertThat(sla.endpointCircuits()).doesNotContainKey("steady");
        assertThatThrownBy(() -> load(yaml.replace("minimum-calls: 3", "failure-rate: 0"), Map.of()))
                .isInstanceOf(ConfigProblem.class).hasMessageContaining("sluice.providers.flaky.circuit");
    }

    @Test
    void routesWithChainsCanarySplitsAndTheClassifierAreMapped() throws IOException {
        GatewaySettings settings = load(MODELS + """
                  routes:
                    support:
                      tier: normal
                      context-strategy: "sliding_window(6)"
                      chain:
                        - {model: big, capability: complex}
                        - {model: small, capability: simple}
                    split:
                      deployments:
                        stable: {weight: 90, chain: [{model: big}]}
                        canary: {weight: 10, chain: [{model: small}]}
                  classifier:
                    short-message-chars: 40
                    complex-keywords: [escalate, "khiếu nại"]
                    tiers: {simple: normal}
                """, Map.of());

        var routing = settings.sla().routing();
        assertThat(routing.routes()).extracting(r -> r.name()).containsExactly("split", "support");
        var support = routing.routes().get(1);
        assertThat(support.tier()).contains("normal");
        assertThat(support.contextStrategy()).contains(new io.sluice.domain.ContextStrategy.SlidingWindow(6));
        assertThat(support.deployments().getFirst().chain()).extracting(l -> l.model() + ":" + l.capability().label())
                .containsExactly("big:complex", "small:simple");
        assertThat(routing.routes().getFirst().deployments()).extracting(d -> d.name() + "=" + d.weight()).containsExactly("canary=10", "stable=90");
        assertThat(routing.tierByComplexity()).containsEntry(io.sluice.domain.routing.Complexity.SIMPLE, "normal")
                .containsEntry(io.sluice.domain.routing.Complexity.COMPLEX, "deep");
        assertThat(routing.classifier().classify(java.util.List.of(io.sluice.domain.ChatMessage.user("please escalate this now, thank you very much"))))
                .isEqualTo(io.sluice.domain.routing.Complexity.COMPLEX);
        assertThat(settings.endpoints().getFirst().keys().getFirst().tpm()).isEqualTo(40_000);
    }

    @Test
    void aRoutesTimeWindowsAreReadInItsTimeZoneAndBadOnesFailNamingTheKey() throws IOException {
        var routes = load(MODELS + """
                  routes:
                    support:
                      chain: [{model: big}, {model: small, capability: simple}]
                      time-zone: Asia/Ho_Chi_Minh
                      windows:
                        - {name: morning-peak, days: [mon, tue, wed, thu, fri], from: "09:00", to: "11:00", chain: [{model: small}], tier: fast}
                        - {from: "14:00", to: "16:00", chain: [{model: small}]}
                    split:
                      deployments:
                        stable: {weight: 90, chain: [{model: big}]}
                        canary: {weight: 10, chain: [{model: small}]}
                      windows:
                        - {name: night, from: "22:00", to: "06:00", weights: {canary: 50}}
                """, Map.of()).sla().routing().routes();
        var support = routes.get(1);
        assertThat(support.zone()).isEqualTo(java.time.ZoneId.of("Asia/Ho_Chi_Minh"));
        assertThat(support.windows()).extracting(w -> w.name()).containsExactly("morning-peak", "14:00-16:00");
        var peak = support.windows().getFirst();
        assertThat(peak.days()).hasSize(5).doesNotContain(java.time.DayOfWeek.SATURDAY);
        assertThat(peak.tier()).contains("fast");
        assertThat(support.inWindow(peak).deployments().getFirst().chain()).extracting(l -> l.model()).containsExactly("small");
        assertThat(routes.getFirst().inWindow(routes.getFirst().windows().getFirst()).deployments())
                .extracting(d -> d.name() + "=" + d.weight()).containsExactly("canary=50", "stable=90");

        String route = MODELS + """
                  routes:
                    support:
                      chain: [{model: big}]
                      %s
                """;
        assertThatThrownBy(() -> load(route.formatted("windows: [{from: \"9am\", to: \"11:00\", tier: fast}]"), Map.of()))
                .isInstanceOf(ConfigProblem.class).hasMessageContaining("sluice.routes.\"support\".windows[0].from");
        assertThatThrownBy(() -> load(route.formatted("windows: [{from: \"09:00\", to: \"11:00\", chain: [{model: gpt-9}]}]"), Map.of()))
                .isInstanceOf(ConfigProblem.class).hasMessageContaining("windows[0].chain[0].model").hasMessageContaining("gpt-9");
        assertThatThrownBy(() -> load(route.formatted("time-zone: Mars/Olympus"), Map.of()))
                .isInstanceOf(ConfigProblem.class).hasMessageContaining("time-zone");
        assertThatThrownBy(() -> load(route.formatted("windows: [{from: \"09:00\", to: \"11:00\", tier: glacial}]"), Map.of()))
                .isInstanceOf(ConfigProblem.class).hasMessageContaining("glacial");
    }

    @Test
    void badRoutesFailNamingTheKey() {
        assertThatThrownBy(() -> load(MODELS + """
                  routes:
                    support: {chain: [{model: huge}]}
                """, Map.of())).isInstanceOf(ConfigProblem.class).hasMessageContaining("sluice.routes.\"support\".chain[0].model")
                .hasMessageContaining("huge");
        assertThatThrownBy(() -> load(MODELS + """
                  routes:
                    support: {chain: [{model: small, capability: simple}, {model: big, capability: complex}]}
                """, Map.of())).isInstanceOf(ConfigProblem.class).hasMessageContaining("most to the least capable");
        assertThatThrownBy(() -> load(MODELS + """
                  routes:
                    support: {chain: [{model: big, capability: genius}]}
                """, Map.of())).isInstanceOf(ConfigProblem.class).hasMessageContaining("capability").hasMessageContaining("genius");
        assertThatThrownBy(() -> load(MODELS + """
                  routes:
                    big: {chain: [{model: small}]}
                """, Map.of())).isInstanceOf(ConfigProblem.class).hasMessageContaining("already a model");
        assertThatThrownBy(() -> load(MODELS + """
                  routes:
                    support: {tier: glacial, chain: [{model: small}]}
                """, Map.of())).isInstanceOf(ConfigProblem.class).hasMessageContaining("sluice.routes").hasMessageContaining("glacial");
        assertThatThrownBy(() -> load(MODELS + """
                  routes:
                    support:
                      chain: [{model: small}]
                      deployments: {x: {weight: 1, chain: [{model: big}]}}
                """, Map.of())).isInstanceOf(ConfigProblem.class).hasMessageContaining("either a 'chain' or 'deployments'");
    }
}
