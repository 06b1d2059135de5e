package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each gateway API key's own defaults, rate limits and budgets, set through the admin API, over HTTP on PostgreSQL. */
class KeyPoliciesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "admin-key-for-policy-tests-42";
    private static final String MODEL = "gpt-4o-mini";
    private static TestGateway sluice;

    @BeforeAll
    static void start() {
        sluice = TestGateway.onPostgresWithKeys(ADMIN, List.of(new ModelSpec(MODEL, TestGateway.PROVIDER, MODEL, 128_000, Encoding.O200K_BASE,
                new Prices(new BigDecimal("0.15"), new BigDecimal("0.60"), new BigDecimal("0.075")))));
    }

    @AfterAll
    static void stop() throws Exception {
        sluice.close();
    }

    private static JsonNode createKey(String policy) throws Exception {
        HttpResponse<String> created = sluice.post("/admin/keys", "{\"owner\":\"acme\"" + (policy.isEmpty() ? "" : "," + policy) + "}",
                "Authorization", "Bearer " + ADMIN);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body());
    }

    private static HttpResponse<String> chat(JsonNode key, String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = "Bearer " + key.path("key").asText();
        System.arraycopy(headers, 0, all, 2, headers.length);
        return sluice.post("/v1/chat/completions", body, all);
    }

    private static final String HELLO = "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

    @Test
    void aKeysRequestLimitCountsThatKeyAloneAndCanBeLiftedAtRuntime() throws Exception {
        JsonNode limited = createKey("\"limits\":{\"rpm\":2}");
        JsonNode sibling = createKey("");
        assertThat(limited.path("limits").path("rpm").asLong()).isEqualTo(2);
        assertThat(chat(limited, HELLO).statusCode()).isEqualTo(200);
        assertThat(chat(limited, HELLO).statusCode()).isEqualTo(200);
        HttpResponse<String> third = chat(limited, HELLO);
        assertThat(third.statusCode()).as(third.body()).isEqualTo(429);
        assertThat(third.headers().firstValue("x-ratelimit-limit-requests")).contains("2");
        assertThat(third.headers().firstValue("retry-after")).isPresent();
        assertThat(chat(sibling, HELLO).statusCode()).as("another key of the same owner has its own count").isEqualTo(200);

        HttpResponse<String> lifted = sluice.put("/admin/keys/" + limited.path("id").asText() + "/policy", "{\"limits\":{\"rpm\":0}}",
                "Authorization", "Bearer " + ADMIN);
        assertThat(lifted.statusCode()).as(lifted.body()).isEqualTo(200);
        assertThat(JSON.readTree(lifted.body()).path("limits").path("rpm").asLong()).isZero();
        assertThat(chat(limited, HELLO).statusCode()).as("from the very next request").isEqualTo(200);
    }

    @Test
    void aKeysBudgetIsAHardCapOnThatKey() throws Exception {
        // the worst case of one call (its prompt, and a reply of max_tokens at the output price) is more than this cap
        JsonNode capped = createKey("\"budgets\":{\"total\":\"0.00001\"}");
        HttpResponse<String> refused = chat(capped, "{\"model\":\"" + MODEL + "\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(402);
        assertThat(JSON.readTree(refused.body()).path("error").path("code").asText()).isEqualTo("budget_exceeded");
        JsonNode roomy = createKey("\"budgets\":{\"day\":\"1.00\",\"month\":5}");
        assertThat(chat(roomy, HELLO).statusCode()).isEqualTo(200);
        assertThat(roomy.path("budgets").path("month").asText()).isEqualTo("5");
    }

    @Test
    void aCallWithoutAModelGoesToTheKeysDefaultRoute() throws Exception {
        String noModel = "{\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
        HttpResponse<String> routed = chat(createKey("\"defaults\":{\"route\":\"" + MODEL + "\"}"), noModel);
        assertThat(routed.statusCode()).as(routed.body()).isEqualTo(200);
        assertThat(JSON.readTree(routed.body()).path("model").asText()).isEqualTo(MODEL);
        HttpResponse<String> unrouted = chat(createKey(""), noModel);
        assertThat(unrouted.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unrouted.body()).path("error").path("param").asText()).isEqualTo("model");
    }

    @Test
    void aKeysDefaultContextStrategyShapesItsConversations() throws Exception {
        JsonNode key = createKey("\"defaults\":{\"context_strategy\":\"sliding_window(2)\"}");
        HttpResponse<String> first = chat(key, HELLO, "X-Conversation-Id", "new");
        String conversation = first.headers().firstValue("X-Conversation-Id").orElseThrow();
        for (int i = 0; i < 3; i++) assertThat(chat(key, HELLO, "X-Conversation-Id", conversation).statusCode()).isEqualTo(200);
        JsonNode sent = sluice.simulator.recentRequests().getLast();
        assertThat(sent.path("messages").size()).as("two stored messages and the new one").isEqualTo(3);
        chat(key, HELLO, "X-Conversation-Id", conversation, "X-Context-Strategy", "full");
        assertThat(sluice.simulator.recentRequests().getLast().path("messages").size()).as("the call's own strategy wins").isEqualTo(9);
    }

    @Test
    void aKeysDefaultTierIsTheCallsUnlessTheCallNamesOne() throws Exception {
        JsonNode key = createKey("\"defaults\":{\"tier\":\"platinum\"}");
        HttpResponse<String> unknown = chat(key, HELLO);
        assertThat(unknown.statusCode()).as("the key's tier is used, and this one is not configured").isEqualTo(400);
        assertThat(unknown.body()).contains("platinum");
        assertThat(chat(key, HELLO, "X-SLA-Tier", "deep").statusCode()).isEqualTo(200);
    }

    @Test
    void aKeysPromptCapRefusesLargerPromptsBeforeTheyGoUpstream() throws Exception {
        JsonNode key = createKey("\"limits\":{\"max_prompt_tokens\":50}");
        assertThat(key.path("limits").path("max_prompt_tokens").asLong()).isEqualTo(50);
        long upstream = sluice.simulator.stats().requests();
        String large = "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "parcel ".repeat(100) + "\"}]}";

        HttpResponse<String> refused = chat(key, large);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("\"code\":\"prompt_too_large\"").contains("capped at 50 tokens");
        assertThat(sluice.simulator.stats().requests()).isEqualTo(upstream);
        assertThat(chat(key, HELLO).statusCode()).isEqualTo(200);
    }

    @Test
    void aKeysLaneIsItsCallsAndTheHeaderChoosesOneOnlyWhereTheKeyAllowsIt() throws Exception {
        JsonNode fixed = createKey("\"priority\":{\"default\":\"high\"}");
        assertThat(fixed.path("priority").path("default").asText()).isEqualTo("high");
        assertThat(fixed.path("priority").path("allow_header").asBoolean()).isFalse();
        // a key that does not let its calls choose ignores the header, even one that names no lane
        assertThat(chat(fixed, HELLO, "X-Sluice-Priority", "whenever").statusCode()).isEqualTo(200);
        JsonNode chooser = createKey("\"priority\":{\"allow_header\":true}");
        assertThat(chat(chooser, HELLO, "X-Sluice-Priority", "low").statusCode()).isEqualTo(200);
        HttpResponse<String> refused = chat(chooser, HELLO, "X-Sluice-Priority", "whenever");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).path("error").path("code").asText()).isEqualTo("invalid_priority");
        assertThat(JSON.readTree(refused.body()).path("error").path("param").asText()).isEqualTo("X-Sluice-Priority");
    }

    @Test
    void aBadPolicyIs400NamingTheFieldAndCreatesNoKey() throws Exception {
        for (String[] bad : new String[][] {
                {"\"limits\":{\"rpm\":-1}", "limits.rpm"},
                {"\"limits\":{\"tpm\":\"lots\"}", "limits.tpm"},
                {"\"budgets\":{\"day\":\"ten\"}", "budgets.day"},
                {"\"defaults\":{\"route\":\"no-such-route\"}", "defaults.route"},
                {"\"defaults\":{\"context_strategy\":\"everything\"}", "X-Context-Strategy"},
                {"\"priority\":{\"default\":\"urgent\"}", "priority.default"},
                {"\"priority\":{\"allow_header\":\"yes\"}", "priority.allow_header"}}) {
            int before = JSON.readTree(sluice.get("/admin/keys", "Authorization", "Bearer " + ADMIN).body()).path("data").size();
            HttpResponse<String> refused = sluice.post("/admin/keys", "{\"owner\":\"acme\"," + bad[0] + "}", "Authorization", "Bearer " + ADMIN);
            assertThat(refused.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(JSON.readTree(refused.body()).path("error").path("param").asText()).as(bad[0]).isEqualTo(bad[1]);
            assertThat(JSON.readTree(sluice.get("/admin/keys", "Authorization", "Bearer " + ADMIN).body()).path("data").size()).isEqualTo(before);
        }
    }
}
