package io.sluice.app.e2e;

import static io.sluice.app.e2e.CachingGateway.JSON;
import static io.sluice.app.e2e.CachingGateway.streamedContent;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route's fallback reply over HTTP on PostgreSQL: for each failure it covers (every upstream failed, the deadline,
 * a budget, a rate limit), plain and streamed, the call gets 200 with the reply, {@code X-Sluice-Fallback: reply} and
 * {@code finish_reason: stop}; the ledger keeps it at zero cost as {@code FALLBACK_REPLY}; a conversation stores it
 * marked and never sends it upstream again; a route without one, or a failure it does not cover, gets the error.
 */
class FallbackReplyTest {
    private static final String BUSY = "We are busy right now; an agent will reply shortly.";
    private static final String BUSY_VI = "Chúng tôi đang bận; nhân viên sẽ trả lời bạn sớm.";
    private static final String ROUTES = """

              # every call that asks for no tier gets the normal one, with room to spare: on a loaded machine a fresh
              # gateway's first calls ran past its 3 s deadline, and a reply meant for "every upstream failed" became the
              # deadline's (simple calls take the normal tier too: CachingGateway). The deadline's own cases ask for fast
              sla: {default-tier: normal, retry: {max-attempts: 2, base-delay: 10ms, max-delay: 20ms},
                    tiers: {normal: {connect-timeout: 10s, first-chunk-timeout: 20s, deadline: 30s}}}
              models:
                support-bot: {provider: sim, upstream-name: gpt-4o-mini}
              routes:
                support:
                  chain: [{model: support-bot}]
                  fallback-reply: {default: "%s", vi: "%s"}
                billing:
                  chain: [{model: support-bot}]
                  fallback-reply: "Billing is busy."
                  fallback-reply-on: [budget]
                plain:
                  chain: [{model: support-bot}]
            """.formatted(BUSY, BUSY_VI);

    @TempDir
    Path dir;

    private static String call(String route, String text, boolean stream) {
        return "{\"model\":\"" + route + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":" + TestGateway.quote(text) + "}]}";
    }

    /** An answer as an assertion shows it: its headers (Server-Timing, X-Sluice-*) say where its time went. */
    private static String shown(HttpResponse<String> answer) {
        return answer.headers().map() + " " + answer.body();
    }

    private static void assertFallback(HttpResponse<String> answer, boolean stream, String text) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("X-Sluice-Fallback")).contains("reply");
        if (stream) {
            assertThat(streamedContent(answer.body())).as(shown(answer)).isEqualTo(text);
            assertThat(answer.body()).contains("\"finish_reason\":\"stop\"").endsWith("data: [DONE]\n\n");
        } else {
            JsonNode choice = JSON.readTree(answer.body()).path("choices").path(0);
            assertThat(choice.path("message").path("content").asText()).as(shown(answer)).isEqualTo(text);
            assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        }
    }

    @Test
    void eachCoveredFailureIsAnsweredWithTheReplyPlainAndStreamedAndBilledAtZero() throws Exception {
        try (CachingGateway sluice = new CachingGateway(dir, ROUTES)) {
            String key = sluice.key("acme");
            for (boolean stream : List.of(false, true)) {
                assertFallback(sluice.chat(key, call("support", "Where is my order? [sim:503]", stream)), stream, BUSY);
                assertFallback(sluice.chat(key, call("support", "Where is my order? [sim:hang]", stream), "X-SLA-Tier", "fast"), stream, BUSY);
            }
            HttpResponse<String> capped = sluice.send("POST", "/admin/keys",
                    "{\"owner\":\"capped\",\"budgets\":{\"day\":\"0.000000001\"}}", CachingGateway.ADMIN);
            String cappedKey = JSON.readTree(capped.body()).path("key").asText();
            for (boolean stream : List.of(false, true)) assertFallback(sluice.chat(cappedKey, call("support", "Refund please", stream)), stream, BUSY);
            HttpResponse<String> limited = sluice.send("POST", "/admin/keys", "{\"owner\":\"limited\",\"limits\":{\"rpm\":1}}", CachingGateway.ADMIN);
            String limitedKey = JSON.readTree(limited.body()).path("key").asText();
            HttpResponse<String> first = sluice.chat(limitedKey, call("support", "First question", false));
            assertThat(first.headers().firstValue("X-Sluice-Fallback")).as(shown(first)).isEmpty();
            for (boolean stream : List.of(false, true)) assertFallback(sluice.chat(limitedKey, call("support", "Second question", stream)), stream, BUSY);

            var rows = Sql.rows(sluice.storage(), "SELECT owner, outcome, cost, endpoint FROM usage_ledger WHERE outcome = 'FALLBACK_REPLY'");
            assertThat(rows).hasSize(8);
            for (Map<String, Object> row : rows) {
                assertThat((BigDecimal) row.get("cost")).isZero();
                assertThat(row.get("endpoint")).isEqualTo("fallback-reply");
            }
            assertThat(sluice.send("GET", "/metrics", null, CachingGateway.ADMIN).body()).contains("sluice_calls_ended_total{outcome=\"fallback_reply\"} 8.0");
        }
    }

    @Test
    void withoutACoveringReplyTheCallGetsItsErrorAsBefore() throws Exception {
        try (CachingGateway sluice = new CachingGateway(dir, ROUTES)) {
            String key = sluice.key("acme");
            // first: the 503s below cool the one upstream key down, and a call that then finds no key ready is answered
            // with the reply before it reaches the upstream (seen in CI: upstream;dur=0.000, x-sluice-fallback: reply)
            HttpResponse<String> bad = sluice.chat(key, call("support", "Where is my order? [sim:400]", false));
            assertThat(bad.statusCode()).as("a bad request is the caller's to fix: %s %s", bad.headers().map(), bad.body()).isEqualTo(400);
            HttpResponse<String> plain = sluice.chat(key, call("plain", "Where is my order? [sim:503]", false));
            assertThat(plain.statusCode()).isIn(502, 503, 504);
            assertThat(plain.headers().firstValue("X-Sluice-Fallback")).isEmpty();
            assertThat(sluice.chat(key, call("billing", "Where is my order? [sim:503]", true)).statusCode()).as("billing covers budgets only").isIn(502, 503, 504);
            assertThat(Sql.rows(sluice.storage(), "SELECT 1 FROM usage_ledger WHERE outcome = 'FALLBACK_REPLY'")).isEmpty();
        }
    }

    @Test
    void aKeysOwnReplyInItsLocaleAnswersAheadOfItsRoutesEvenForAModelCalledByName() throws Exception {
        try (CachingGateway sluice = new CachingGateway(dir, ROUTES)) {
            HttpResponse<String> created = sluice.send("POST", "/admin/keys", """
                    {"owner": "shop", "defaults": {"locale": "vi-VN"},
                     "fallback_reply": {"texts": {"default": "Shop is busy.", "vi": "Cửa hàng đang bận."}, "on": ["all_failed"]}}""",
                    CachingGateway.ADMIN);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonNode key = JSON.readTree(created.body());
            assertThat(key.path("defaults").path("locale").asText()).isEqualTo("vi-VN");
            assertThat(key.path("fallback_reply").path("on").toString()).isEqualTo("[\"all_failed\"]");
            String secret = key.path("key").asText();
            for (boolean stream : List.of(false, true)) {
                assertFallback(sluice.chat(secret, call("support", "Đơn hàng của tôi đâu? [sim:503]", stream)), stream, "Cửa hàng đang bận.");
                assertFallback(sluice.chat(secret, call("support-bot", "Đơn hàng của tôi đâu? [sim:503]", stream)), stream, "Cửa hàng đang bận.");
            }
            // the key's reply covers all_failed only: a deadline falls to the route's
            assertFallback(sluice.chat(secret, call("support", "Where is my order? [sim:hang]", false), "X-SLA-Tier", "fast"), false, BUSY_VI);
            assertThat(sluice.bills("shop", 5)).extracting(row -> row.get("outcome")).containsOnly("FALLBACK_REPLY");

            for (String bad : List.of("{\"owner\":\"x\",\"defaults\":{\"locale\":\"not a locale!\"}}", "{\"owner\":\"x\",\"fallback_reply\":5}",
                    "{\"owner\":\"x\",\"fallback_reply\":{\"texts\":{\"en\":\"Busy\"},\"on\":[\"always\"]}}",
                    "{\"owner\":\"x\",\"fallback_reply\":\"\"}")) {
                HttpResponse<String> refused = sluice.send("POST", "/admin/keys", bad, CachingGateway.ADMIN);
                assertThat(refused.statusCode()).as(bad).isEqualTo(400);
                assertThat(JSON.readTree(refused.body()).path("error").path("type").asText()).isEqualTo("invalid_request_error");
            }
        }
    }

    @Test
    void aConversationStoresTheReplyMarkedInItsLanguageAndNeverSendsItUpstream() throws Exception {
        try (CachingGateway sluice = new CachingGateway(dir, ROUTES)) {
            String key = sluice.key("acme");
            HttpResponse<String> created = sluice.send("POST", "/v1/conversations", "{\"metadata\":{\"locale\":\"vi-VN\"}}", key);
            String conversation = JSON.readTree(created.body()).path("id").asText();
            assertFallback(sluice.chat(key, call("support", "Đơn hàng của tôi đâu? [sim:503]", false), "X-Conversation-Id", conversation), false, BUSY_VI);
            JsonNode items = JSON.readTree(sluice.send("GET", "/v1/conversations/" + conversation + "/items?order=asc", null, key).body()).path("data");
            assertThat(items.toString()).contains(BUSY_VI);
            HttpResponse<String> next = sluice.chat(key, call("support", "Còn bây giờ thì sao?", false), "X-Conversation-Id", conversation);
            assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
            assertThat(next.headers().firstValue("X-Sluice-Fallback")).isEmpty();
            String sent = sluice.simulator.recentRequests().getLast().toString();
            assertThat(sent).contains("Còn bây giờ thì sao?").doesNotContain(BUSY_VI);
        }
    }
}
