package io.sluice.app.e2e;

import static io.sluice.app.e2e.CachingGateway.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testkit.db.PostgresTestSchema;
import io.sluice.testkit.simulator.Fault;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream's own rate-limit headers over HTTP: an upstream key allowed 3 requests a minute says on each answer
 * what is left (OpenAI's {@code x-ratelimit-*}, Anthropic's {@code anthropic-ratelimit-*}); once it says none, the
 * gateway rests the key instead of sending it a request that would get a 429.
 */
class UpstreamQuotaTest {
    @TempDir
    Path dir;

    @Test
    void aKeyTheUpstreamSaysIsSpentIsNotSentTheRequestThatWouldGetA429() throws Exception {
        try (Simulator upstream = new Simulator(SimulatorConfig.ofDefaults().withRpmPerKey(3))) {
            upstream.start(0);
            String providers = """
                        openai-up: {type: openai, base-url: "%s", api-key: sk-openai-up, timeout: 5s}
                        claude-up: {type: anthropic, base-url: "%s", api-key: sk-claude-up, timeout: 5s}
                    """.formatted(upstream.baseUrl(), upstream.baseUrl()).stripTrailing();
            String models = """

                      models:
                        gpt-limited: {provider: openai-up, upstream-name: gpt-4o-mini}
                        claude-limited: {provider: claude-up, upstream-name: claude-3-5-haiku-latest}
                    """;
            try (CachingGateway sluice = new CachingGateway(dir, models, new PostgresTestSchema(), null, providers)) {
                String key = sluice.key("acme");
                for (String model : List.of("gpt-limited", "claude-limited")) {
                    for (int i = 0; i < 3; i++) {
                        HttpResponse<String> answered = sluice.chat(key, "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello "
                                + i + "\"}]}", "X-SLA-Tier", "fast");
                        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
                    }
                    HttpResponse<String> spent = sluice.chat(key, "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello again\"}]}",
                            "X-SLA-Tier", "fast");
                    assertThat(spent.statusCode()).as(spent.body()).isEqualTo(503);
                    assertThat(JSON.readTree(spent.body()).path("error").path("code").asText()).isEqualTo("no_upstream_available");
                }
                assertThat(upstream.stats().faults(Fault.RATE_LIMIT)).as("no request was sent to be refused").isZero();
                assertThat(upstream.stats().requests()).isEqualTo(6);
            }
        }
    }
}
