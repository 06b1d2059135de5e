package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.app.config.LimitSettings;
import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.engine.limits.RateLimits;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The gateway's own rate limits over real HTTP: OpenAI's 429 and headers, per user and model, shared by replicas on Redis. */
class RateLimitsTest {
    private static final ModelSpec METERED = new ModelSpec("metered", TestGateway.PROVIDER, "gpt-4o-mini", 128_000, Encoding.O200K_BASE, Prices.FREE);

    private static String chat(String model, String user, Integer maxTokens) {
        return "{\"model\":\"" + model + "\"," + (user == null ? "" : "\"user\":\"" + user + "\",")
                + (maxTokens == null ? "" : "\"max_tokens\":" + maxTokens + ",") + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    }

    @Test
    void aUserOverItsRequestsPerMinuteGetsOpenAisRateLimitAnswerAndOtherUsersDoNot() {
        LimitSettings limits = new LimitSettings(new RateLimits(0, 0, 3, 0, Map.of()), false);
        try (TestGateway sluice = TestGateway.onPostgresWithLimits(List.of(), limits)) {
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> answered = sluice.post("/v1/chat/completions", chat("gpt-4o-mini", "alice", null));
                assertThat(answered.statusCode()).isEqualTo(200);
                // a successful answer says where the caller stands too, as OpenAI's do
                assertThat(answered.headers().firstValue("x-ratelimit-limit-requests")).contains("3");
                assertThat(answered.headers().firstValue("x-ratelimit-remaining-requests")).contains(Integer.toString(2 - i));
                assertThat(answered.headers().firstValue("x-ratelimit-reset-requests")).hasValueSatisfying(v -> assertThat(v).endsWith("s"));
            }
            HttpResponse<String> lastStreamed = sluice.post("/v1/chat/completions", chat("gpt-4o-mini", "alice", null).replace("{", "{\"stream\":true,"));
            assertThat(lastStreamed.statusCode()).isEqualTo(200);
            assertThat(lastStreamed.headers().firstValue("x-ratelimit-remaining-requests")).contains("0");

            HttpResponse<String> limited = sluice.post("/v1/chat/completions", chat("gpt-4o-mini", "alice", null));
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.body()).contains("\"type\":\"rate_limit_error\"").contains("\"code\":\"rate_limit_exceeded\"");
            assertThat(limited.headers().firstValue("retry-after")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 20L));
            assertThat(limited.headers().firstValue("x-ratelimit-limit-requests")).contains("3");
            assertThat(limited.headers().firstValue("x-ratelimit-remaining-requests")).contains("0");
            assertThat(limited.headers().firstValue("x-ratelimit-reset-requests")).hasValueSatisfying(v -> assertThat(v).endsWith("s"));

            assertThat(sluice.post("/v1/chat/completions", chat("gpt-4o-mini", "bob", null)).statusCode()).isEqualTo(200);
            assertThat(sluice.simulator.stats().requests()).as("the limited call never went upstream").isEqualTo(4);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aModelsTokensPerMinuteCountsThePromptAndMaxTokens() {
        LimitSettings limits = new LimitSettings(new RateLimits(0, 0, 0, 0, Map.of("metered", new long[] {0, 300})), false);
        try (TestGateway sluice = TestGateway.onPostgresWithLimits(List.of(METERED), limits)) {
            // a call takes its prompt and max_tokens (about 290) at once, then gives back what it did not use
            assertThat(sluice.post("/v1/chat/completions", chat("metered", null, 280)).statusCode()).isEqualTo(200);
            HttpResponse<String> limited = sluice.post("/v1/chat/completions", chat("metered", null, 290));
            assertThat(limited.statusCode()).as("the first call's real usage plus 290 more is over 300").isEqualTo(429);
            assertThat(limited.headers().firstValue("x-ratelimit-limit-tokens")).contains("300");
            assertThat(sluice.post("/v1/chat/completions", chat("metered", null, 100)).statusCode()).as("a smaller call fits").isEqualTo(200);
            assertThat(sluice.post("/v1/chat/completions", chat("gpt-4o-mini", null, 290)).statusCode()).as("another model").isEqualTo(200);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void twoReplicasOnRedisShareOneKeyLimitOf60RequestsPerMinute() throws Exception {
        // a fresh owner per run: the counters live in the shared Redis for a minute
        String user = "user-" + UUID.randomUUID();
        LimitSettings limits = new LimitSettings(new RateLimits(0, 0, 60, 0, Map.of()), true);
        try (TestGateway first = TestGateway.onPostgresWithLimits(List.of(), limits);
             TestGateway second = TestGateway.replicaWithLimits(first, List.of(), limits)) {
            int ok = 0;
            for (int i = 0; i < 100; i++) {
                HttpResponse<String> r = (i % 2 == 0 ? first : second).post("/v1/chat/completions", chat("gpt-4o-mini", user, null));
                assertThat(r.statusCode()).isIn(200, 429);
                if (r.statusCode() == 200) ok++;
            }
            assertThat(ok).as("calls let through by both replicas together").isBetween(59, 61);
        }
    }
}
