package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.app.config.SlaSettings;
import io.sluice.domain.sla.CircuitSettings;
import io.sluice.domain.sla.RetrySettings;
import io.sluice.domain.sla.SlaTier;
import io.sluice.testkit.simulator.Fault;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SLA policies over real HTTP, against simulators that misbehave on purpose. */
class SlaPoliciesTest {
    @Test
    void a429StormOnTheFirstKeyIsRiddenOutOnTheSecondAndTheCoolingKeyIsLeftAlone() throws Exception {
        try (SlaGateway sluice = new SlaGateway(Map.of("primary", List.of("sk-primary", "sk-backup")))) {
            var sim = sluice.simulator("primary");
            sim.configure(sim.config().withRetryAfter(Duration.ofSeconds(1)).withKeyFault("sk-primary", Fault.RATE_LIMIT));

            for (int i = 0; i < 30; i++) {
                HttpResponse<String> response = sluice.chat("Where is parcel " + i + "?");
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            }
            // keep calling until the cooled key has been tried again, so that the gap between its tries can be checked
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
                assertThat(sluice.chat("Still waiting?").statusCode()).isEqualTo(200);
                return sim.requestTimes("sk-primary").size() >= 2;
            });
            List<Long> limited = sim.requestTimes("sk-primary");
            assertThat(sim.requestTimes("sk-backup")).hasSizeGreaterThanOrEqualTo(30 - limited.size());
            for (int i = 1; i < limited.size(); i++) {
                assertThat(limited.get(i) - limited.get(i - 1)).as("no request on the cooling key before its Retry-After")
                        .isGreaterThanOrEqualTo(950);
            }
            assertThat(limited).hasSizeLessThanOrEqualTo(3);
        }
    }

    @Test
    void aKeyRefusedWith401IsDisabledForACoolDown() throws Exception {
        try (SlaGateway sluice = new SlaGateway(Map.of("primary", List.of("sk-revoked", "sk-good")))) {
            var sim = sluice.simulator("primary");
            sim.configure(sim.config().withKeyFault("sk-revoked", Fault.UNAUTHORIZED));

            for (int i = 0; i < 10; i++) assertThat(sluice.chat("hello " + i).statusCode()).isEqualTo(200);
            assertThat(sim.requestTimes("sk-revoked")).hasSize(1);
            assertThat(sim.requestTimes("sk-good")).hasSize(10);
            assertThat(sluice.get("/admin/upstreams").body()).as("the disabled key is reported, with when it is tried again")
                    .containsPattern("\\{\"endpoint\":\"primary\",\"key\":\"primary#1\",\"state\":\"disabled\",\"retry_in_s\":(59|60)}")
                    .contains("{\"endpoint\":\"primary\",\"key\":\"primary#2\",\"state\":\"ok\",\"retry_in_s\":0}");
        }
    }

    @Test
    void a403ThatNamesTheModelIsThatModelsProblemNotTheKeys() throws Exception {
        try (SlaGateway sluice = new SlaGateway(Map.of("primary", List.of("sk-only")))) {
            HttpResponse<String> refused = sluice.chat("hello " + Fault.MODEL_FORBIDDEN.directive());
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("\"code\":\"model_not_allowed\"").contains("does not have access to model");

            assertThat(sluice.chat("hello").statusCode()).as("the key still serves what it may").isEqualTo(200);
            assertThat(sluice.get("/admin/upstreams").body()).contains("\"key\":\"primary\",\"state\":\"ok\"");
        }
    }

    @Test
    void anOperatorEnablesADisabledKeyThroughTheAdminApi() throws Exception {
        try (SlaGateway sluice = new SlaGateway(Map.of("primary", List.of("sk-only")))) {
            var sim = sluice.simulator("primary");
            sim.configure(sim.config().withKeyFault("sk-only", Fault.UNAUTHORIZED));
            assertThat(sluice.chat("hello").statusCode()).isEqualTo(503);
            sim.configure(sim.config().withKeyFault("sk-only", null)); // the account is fixed upstream

            assertThat(sluice.chat("still disabled").statusCode()).isEqualTo(503);
            HttpResponse<String> enabled = sluice.post("/admin/upstreams/keys/enable", "{\"endpoint\":\"primary\",\"key\":\"primary\"}");
            assertThat(enabled.statusCode()).isEqualTo(200);
            assertThat(enabled.body()).isEqualTo("{\"endpoint\":\"primary\",\"key\":\"primary\",\"state\":\"ok\",\"retry_in_s\":0}");
            assertThat(sluice.chat("hello again").statusCode()).isEqualTo(200);

            HttpResponse<String> unknown = sluice.post("/admin/upstreams/keys/enable", "{\"endpoint\":\"primary\",\"key\":\"nope\"}");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("\"code\":\"upstream_key_not_found\"");
        }
    }

    @Test
    void whenEveryKeyIsRefusedTheClientIsToldNoUpstreamIsAvailable() throws Exception {
        try (SlaGateway sluice = new SlaGateway(Map.of("primary", List.of("sk-only")))) {
            var sim = sluice.simulator("primary");
            sim.configure(sim.config().withKeyFault("sk-only", Fault.UNAUTHORIZED));

            HttpResponse<String> first = sluice.chat("hello");
            assertThat(first.statusCode()).isEqualTo(503);
            assertThat(first.body()).contains("\"code\":\"no_upstream_available\"");
            assertThat(sluice.chat("again").statusCode()).isEqualTo(503);
            assertThat(sim.requestTimes("sk-only")).as("the refused key was tried once").hasSize(1);
        }
    }

    @Test
    void aClientErrorIsNeverRetried() throws Exception {
        try (SlaGateway sluice = new SlaGateway(Map.of("a", List.of("sk-a"), "b", List.of("sk-b")))) {
            HttpResponse<String> response = sluice.chat("bad " + Fault.BAD_REQUEST.directive());

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(sluice.simulator("a").stats().requests() + sluice.simulator("b").stats().requests()).isEqualTo(1);
        }
    }

    @Test
    void aFailingEndpointIsFailedOverAndMarkedSoItGetsNoMoreTraffic() throws Exception {
        try (SlaGateway sluice = new SlaGateway(Map.of("a", List.of("sk-a"), "b", List.of("sk-b")))) {
            var down = sluice.simulator("a");
            down.configure(down.config().withFaultRate(Fault.SERVER_ERROR, 1.0));

            for (int i = 0; i < 40; i++) assertThat(sluice.chat("hello " + i).statusCode()).isEqualTo(200);
            assertThat(down.stats().requests()).as("at most the failure threshold reached the broken endpoint").isLessThanOrEqualTo(5);
            assertThat(sluice.simulator("b").stats().served()).isEqualTo(40);
            // a few failures make it degraded (tried after healthy endpoints), or its circuit opened (down)
            assertThat(sluice.get("/admin/upstreams").body())
                    .containsPattern("\\{\"model\":\"m\",\"endpoint\":\"a\",\"state\":\"(degraded|down)\",\"latency_ewma_ms\":[0-9.]+,\"failure_rate_ewma\":0\\.[2-9]")
                    .containsPattern("\\{\"model\":\"m\",\"endpoint\":\"b\",\"state\":\"healthy\"");
            String metrics = sluice.get("/metrics").body();
            assertThat(metrics).containsPattern("sluice_upstream_retries_total\\{endpoint=\"a\",model=\"m\",reason=\"retry_now\"} [1-5]");
        }
    }

    @Test
    void aCircuitOpensAfterTheThresholdTakesNoTrafficAndAHalfOpenProbeClosesIt() throws Exception {
        SlaSettings sla = new SlaSettings(SlaTier.DEFAULTS, "deep", new RetrySettings(1, Duration.ofMillis(10), Duration.ofMillis(10),
                Duration.ofSeconds(1)), new CircuitSettings(50, 3, Duration.ofSeconds(10), 1, Duration.ofMillis(700)));
        try (SlaGateway sluice = new SlaGateway(Map.of("a", List.of("sk-a")), Duration.ofSeconds(5), sla, Map.of("m", List.of("a")))) {
            var sim = sluice.simulator("a");
            sim.configure(sim.config().withFaultRate(Fault.SERVER_ERROR, 1.0));

            for (int i = 0; i < 3; i++) assertThat(sluice.chat("fail " + i).statusCode()).isEqualTo(502);
            assertThat(sluice.get("/admin/upstreams").body()).contains("\"m @ a\":\"open\"");
            assertThat(sluice.get("/metrics").body()).containsPattern("sluice_circuit_state\\{circuit=\"m @ a\"} 2");
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> refused = sluice.chat("while open " + i);
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.body()).contains("no_upstream_available");
            }
            assertThat(sim.stats().requests()).as("no traffic reached the open circuit").isEqualTo(3);

            sim.configure(sim.config().withFaultRate(Fault.SERVER_ERROR, 0.0));
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> sluice.chat("probe").statusCode() == 200);
            assertThat(sluice.get("/admin/upstreams").body()).contains("\"m @ a\":\"closed\"");
            assertThat(sluice.chat("after").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void noCallRunsPastItsTiersDeadlineEvenWhenUpstreamsHang() throws Exception {
        try (SlaGateway sluice = new SlaGateway(Map.of("a", List.of("sk-a"), "b", List.of("sk-b")))) {
            sluice.simulators.values().forEach(s -> s.configure(s.config().withFaultRate(Fault.HANG, 1.0)));

            long start = System.nanoTime();
            HttpResponse<String> response = sluice.chat("hello", "X-SLA-Tier", "fast");
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();

            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(millis).as("the fast tier's 1 s deadline, plus a small tolerance").isLessThan(1_500);
            assertThat(sluice.chat("hello", "X-SLA-Tier", "glacial").statusCode()).as("an unknown tier").isEqualTo(400);
        }
    }

    @Test
    void aStreamFailsOverBeforeItsFirstChunk() throws Exception {
        try (SlaGateway sluice = new SlaGateway(Map.of("primary", List.of("sk-primary", "sk-backup")))) {
            var sim = sluice.simulator("primary");
            sim.configure(sim.config().withKeyFault("sk-primary", Fault.RATE_LIMIT));

            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = sluice.chat("stream please " + i, true);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).startsWith("data: {").endsWith("data: [DONE]\n\n");
            }
        }
    }
}
