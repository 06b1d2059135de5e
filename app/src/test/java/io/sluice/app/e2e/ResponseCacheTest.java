package io.sluice.app.e2e;

import static io.sluice.app.e2e.CachingGateway.JSON;
import static io.sluice.app.e2e.CachingGateway.cache;
import static io.sluice.app.e2e.CachingGateway.content;
import static io.sluice.app.e2e.CachingGateway.question;
import static io.sluice.app.e2e.CachingGateway.streamedContent;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testkit.servers.SecondRedis;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact response cache over HTTP on PostgreSQL: a repeat is a hit that goes nowhere upstream, costs nothing, is
 * billed as {@code CACHE_HIT} with what it saved, and replays as a stream; {@code Cache-Control} skips it; sampled
 * calls bypass it; one owner never gets another's answer unless the scope is shared; Redis shares it between replicas
 * and its outage only costs misses.
 */
class ResponseCacheTest {
    @TempDir
    Path dir;

    @Test
    void aRepeatIsAHitThatGoesNowhereUpstreamCostsNothingAndSaysWhatItSaved() throws Exception {
        try (CachingGateway sluice = new CachingGateway(dir, "")) {
            String key = sluice.key("acme");
            String body = question("Where is my order 1234?");
            HttpResponse<String> first = sluice.chat(key, body);
            HttpResponse<String> second = sluice.chat(key, body);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            assertThat(cache(first)).isEqualTo("miss");
            assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
            assertThat(cache(second)).isEqualTo("hit");
            assertThat(content(second)).isEqualTo(content(first)).isNotBlank();
            assertThat(JSON.readTree(second.body()).path("usage")).as("a hit reports the usage it would have taken").isEqualTo(JSON.readTree(first.body()).path("usage"));
            assertThat(new BigDecimal(second.headers().firstValue("X-Sluice-Cost").orElseThrow())).isZero();
            assertThat(second.headers().firstValue("x-request-id")).isNotEqualTo(first.headers().firstValue("x-request-id"));

            String streamed = body.replace("{\"model\"", "{\"stream\":true,\"stream_options\":{\"include_usage\":true},\"model\"");
            HttpResponse<String> replay = sluice.chat(key, streamed);
            assertThat(replay.statusCode()).isEqualTo(200);
            assertThat(cache(replay)).isEqualTo("hit");
            assertThat(streamedContent(replay.body())).as("a hit replays as a stream").isEqualTo(content(first));
            assertThat(replay.body()).contains("\"finish_reason\":\"stop\"").contains("\"prompt_tokens\":").endsWith("data: [DONE]\n\n");
            assertThat(sluice.simulator.stats().requests()).as("only the first went upstream").isEqualTo(1);

            List<Map<String, Object>> bills = sluice.bills("acme", 3);
            assertThat(bills).extracting(r -> r.get("outcome")).containsExactly("OK", "CACHE_HIT", "CACHE_HIT");
            BigDecimal paid = (BigDecimal) bills.get(0).get("cost");
            assertThat(paid).isPositive();
            for (var hit : bills.subList(1, 3)) {
                assertThat((BigDecimal) hit.get("cost")).isZero();
                assertThat((BigDecimal) hit.get("cache_saved")).isEqualByComparingTo(paid);
                assertThat((BigDecimal) hit.get("cache_similarity")).isEqualByComparingTo("1");
                assertThat(hit.get("endpoint")).isEqualTo("cache");
                assertThat(hit.get("input_tokens")).isEqualTo(bills.get(0).get("input_tokens"));
            }
            JsonNode usage = JSON.readTree(sluice.send("GET", "/v1/usage", null, key).body()).path("total");
            assertThat(usage.path("requests").asLong()).isEqualTo(3);
            assertThat(usage.path("cache_hits").asLong()).isEqualTo(2);
            assertThat(usage.path("cache_hit_rate").asText()).isEqualTo("0.6667");
            assertThat(new BigDecimal(usage.path("saved_usd").asText())).isEqualByComparingTo(paid.multiply(BigDecimal.TWO));
            assertThat(new BigDecimal(usage.path("cost_usd").asText())).isEqualByComparingTo(paid);
            JsonNode admin = JSON.readTree(sluice.send("GET", "/admin/usage?group_by=owner", null, CachingGateway.ADMIN).body());
            assertThat(admin.path("data").path(0).path("cache_hits").asLong()).isEqualTo(2);
            String metrics = sluice.send("GET", "/metrics", null, CachingGateway.ADMIN).body();
            assertThat(metrics).contains("sluice_response_cache_total{result=\"hit\"} 2.0").contains("sluice_response_cache_total{result=\"miss\"} 1.0");
        }
    }

    @Test
    void aStoredConversationKeepsACachedAnswerAsItsTurn() throws Exception {
        try (CachingGateway sluice = new CachingGateway(dir, "")) {
            String key = sluice.key("acme");
            String body = question("What are your opening hours?");
            sluice.chat(key, body);
            HttpResponse<String> hit = sluice.chat(key, body, "X-Conversation-Id", "new");
            assertThat(cache(hit)).isEqualTo("hit");
            String conversation = hit.headers().firstValue("X-Conversation-Id").orElseThrow();
            JsonNode items = JSON.readTree(sluice.send("GET", "/v1/conversations/" + conversation + "/items?order=asc", null, key).body()).path("data");
            assertThat(items.toString()).contains(content(hit).substring(0, 10));
            HttpResponse<String> next = sluice.chat(key, question("And on Sundays?"), "X-Conversation-Id", conversation);
            assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
            assertThat(cache(next)).as("the next turn carries the history: a new question").isEqualTo("miss");
            String sent = sluice.simulator.recentRequests().getLast().toString();
            assertThat(sent).as("the cached answer is the conversation's context like any other").contains(content(hit));
        }
    }

    @Test
    void cacheControlSkipsTheLookupOrTheCacheAndSampledCallsBypassIt() throws Exception {
        try (CachingGateway sluice = new CachingGateway(dir, "")) {
            String key = sluice.key("acme");
            String body = question("How do I reset my password?");
            assertThat(cache(sluice.chat(key, body, "Cache-Control", "no-store"))).isEqualTo("bypass");
            assertThat(cache(sluice.chat(key, body))).as("no-store kept nothing").isEqualTo("miss");
            assertThat(cache(sluice.chat(key, body, "Cache-Control", "max-age=0, no-cache"))).as("no-cache fetches fresh").isEqualTo("bypass");
            assertThat(cache(sluice.chat(key, body, "Cache-Control", "garbage;;==, no-cachex, x" + "y".repeat(2000)))).as("an unknown directive is ignored").isEqualTo("hit");
            assertThat(sluice.simulator.stats().requests()).isEqualTo(3);

            String sampled = body.replace("\"temperature\":0", "\"temperature\":0.7");
            assertThat(cache(sluice.chat(key, sampled))).isEqualTo("bypass");
            assertThat(cache(sluice.chat(key, sampled))).as("a sampled call is never replayed").isEqualTo("bypass");
            String unset = body.replace("\"temperature\":0,", "");
            assertThat(cache(sluice.chat(key, unset))).as("no temperature samples at 1").isEqualTo("bypass");
            assertThat(cache(sluice.chat(key, body.replace("\"temperature\":0", "\"temperature\":0,\"n\":2")))).isEqualTo("bypass");
            assertThat(sluice.simulator.stats().requests()).as("every bypass went upstream").isEqualTo(7);
            assertThat(sluice.outcomes("acme", 7)).containsOnly("OK", "CACHE_HIT").filteredOn("CACHE_HIT"::equals).hasSize(1);
        }
    }

    @Test
    void oneOwnerNeverGetsAnothersAnswerUnlessTheScopeIsShared() throws Exception {
        String body = question("Can I change my delivery address?");
        try (CachingGateway sluice = new CachingGateway(dir, "    semantic: {enabled: true, threshold: 0.5}")) {
            String a = sluice.key("tenant-a");
            String a2 = sluice.key("tenant-a");
            String b = sluice.key("tenant-b");
            assertThat(cache(sluice.chat(a, body))).isEqualTo("miss");
            assertThat(cache(sluice.chat(b, body))).as("exact: b asks what a asked").isEqualTo("miss");
            assertThat(cache(sluice.chat(b, question("Can I change the delivery address, please?")))).as("semantic: b's own earlier question")
                    .isEqualTo("hit");
            assertThat(cache(sluice.chat(a2, body))).as("another key of the same owner shares its cache").isEqualTo("hit");
            assertThat(cache(sluice.chat(sluice.key("tenant-c"), question("Could I change my delivery address?")))).as("semantic: c asked nothing")
                    .isEqualTo("miss");
            assertThat(sluice.simulator.stats().requests()).isEqualTo(3);
        }
        try (CachingGateway shared = new CachingGateway(dir, "    scope: shared")) {
            assertThat(cache(shared.chat(shared.key("tenant-a"), body))).isEqualTo("miss");
            assertThat(cache(shared.chat(shared.key("tenant-b"), body))).as("one scope for all, when set").isEqualTo("hit");
        }
    }

    @Test
    void redisSharesAnswersBetweenReplicasAndItsOutageOnlyCostsMisses() throws Exception {
        try (SecondRedis redis = new SecondRedis()) {
            String store = "    store: redis";
            try (CachingGateway one = new CachingGateway(dir, store, new io.sluice.testkit.db.PostgresTestSchema(), redis.uri());
                 CachingGateway two = new CachingGateway(dir, store, new io.sluice.testkit.db.PostgresTestSchema(), redis.uri())) {
                String body = question("Do you ship to Norway?");
                assertThat(cache(one.chat(one.key("acme"), body))).isEqualTo("miss");
                HttpResponse<String> elsewhere = two.chat(two.key("acme"), body);
                assertThat(cache(elsewhere)).as("the other replica finds it in Redis").isEqualTo("hit");
                assertThat(two.simulator.stats().requests()).isZero();

                redis.stop();
                String other = question("Do you ship to Iceland?");
                HttpResponse<String> down = two.chat(two.key("acme"), other);
                assertThat(down.statusCode()).as("Redis down: the call goes upstream").isEqualTo(200);
                assertThat(cache(down)).isEqualTo("miss");
                assertThat(cache(two.chat(two.key("acme"), other))).as("and this replica's memory still serves it").isEqualTo("hit");
                assertThat(cache(two.chat(two.key("acme"), body))).as("answers met before the outage stay in memory").isEqualTo("hit");
            }
        }
    }

    @Test
    void aKeysPolicySetsItsOwnTtlOrKeepsItsCallsOutOfTheCache() throws Exception {
        try (CachingGateway sluice = new CachingGateway(dir, "")) {
            HttpResponse<String> created = sluice.send("POST", "/admin/keys",
                    "{\"owner\":\"acme\",\"name\":\"no-cache\",\"response_cache\":{\"ttl_seconds\":0}}", CachingGateway.ADMIN);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(JSON.readTree(created.body()).path("response_cache").path("ttl_seconds").asLong()).isZero();
            String off = JSON.readTree(created.body()).path("key").asText();
            String body = question("Which carriers do you use?");
            assertThat(cache(sluice.chat(off, body))).isEqualTo("bypass");
            assertThat(cache(sluice.chat(off, body))).isEqualTo("bypass");

            String brief = JSON.readTree(sluice.send("POST", "/admin/keys",
                    "{\"owner\":\"acme\",\"name\":\"brief\",\"response_cache\":{\"ttl_seconds\":1}}", CachingGateway.ADMIN).body()).path("key").asText();
            assertThat(cache(sluice.chat(brief, body))).isEqualTo("miss");
            assertThat(cache(sluice.chat(brief, body))).isEqualTo("hit");
            org.awaitility.Awaitility.await("its answers expire after the key's TTL").atMost(java.time.Duration.ofSeconds(5))
                    .pollInterval(java.time.Duration.ofMillis(200)).until(() -> cache(sluice.chat(brief, body)).equals("miss"));

            for (String bad : new String[] {"-1", "\"soon\"", "1.5", "99999999999"}) {
                HttpResponse<String> refused = sluice.send("POST", "/admin/keys",
                        "{\"owner\":\"acme\",\"response_cache\":{\"ttl_seconds\":" + bad + "}}", CachingGateway.ADMIN);
                assertThat(refused.statusCode()).as(bad).isEqualTo(400);
                assertThat(refused.body()).contains("response_cache.ttl_seconds");
            }
        }
    }

    @Test
    void aParaphraseIsASemanticHitWithItsSimilarityButAQuestionNamingAnotherOrderNeverIs() throws Exception {
        try (CachingGateway sluice = new CachingGateway(dir, "    semantic: {enabled: true, threshold: 0.8}")) {
            String key = sluice.key("acme");
            assertThat(cache(sluice.chat(key, question("Where is my order 1234?")))).isEqualTo("miss");
            HttpResponse<String> paraphrase = sluice.chat(key, question("Hi, where is my order 1234?"));
            assertThat(cache(paraphrase)).isEqualTo("hit");
            assertThat(cache(sluice.chat(key, question("Where is my order 5678?")))).as("another order is another question").isEqualTo("miss");
            String withHistory = "{\"model\":\"gpt-4o-mini\",\"temperature\":0,\"messages\":[{\"role\":\"system\",\"content\":\"You are Acme's support assistant.\"},"
                    + "{\"role\":\"user\",\"content\":\"Hello\"},{\"role\":\"assistant\",\"content\":\"Hi! How can I help?\"},"
                    + "{\"role\":\"user\",\"content\":\"Where is my order 1234?\"}]}";
            assertThat(cache(sluice.chat(key, withHistory))).as("a call with history is never answered by meaning").isEqualTo("miss");
            sluice.bills("acme", 4);
            var hit = Sql.rows(sluice.storage(), "SELECT cache_similarity FROM usage_ledger WHERE request_id = ?",
                    paraphrase.headers().firstValue("x-request-id").orElseThrow()).getFirst();
            assertThat((BigDecimal) hit.get("cache_similarity")).as("the similarity of the hit, for tuning").isLessThan(BigDecimal.ONE)
                    .isGreaterThanOrEqualTo(new BigDecimal("0.8"));
        }
    }

    @Test
    void aStreamCutHalfwayOrAHungUpClientLeavesNothingInTheCache() throws Exception {
        try (CachingGateway sluice = new CachingGateway(dir, "")) {
            String key = sluice.key("acme");
            String cut = question("Tell me about your returns policy [sim:cut]").replace("{\"model\"", "{\"stream\":true,\"model\"");
            byte[] request = RawHttp.post("/v1/chat/completions", cut, "Authorization", "Bearer " + key);
            assertThat(RawHttp.exchange(sluice.gateway.port(), request, java.time.Duration.ofSeconds(5))).contains("X-Sluice-Cache: miss").doesNotContain("[DONE]");
            assertThat(RawHttp.exchange(sluice.gateway.port(), request, java.time.Duration.ofSeconds(5))).as("half an answer is never replayed")
                    .contains("X-Sluice-Cache: miss");
            sluice.simulator.configure(io.sluice.testkit.simulator.SimulatorConfig.ofDefaults().withStreamTiming(java.time.Duration.ofMillis(50),
                    java.time.Duration.ofMillis(100)));
            String left = question("Tell me everything about your warranty terms for refurbished laptops").replace("{\"model\"", "{\"stream\":true,\"model\"");
            assertThat(RawHttp.streamThenHangUp(sluice.gateway.port(), left, 2, "Authorization", "Bearer " + key)).isEqualTo(2);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> sluice.outcomes("acme").contains("CANCELLED"));
            assertThat(cache(sluice.chat(key, left))).as("an answer its client left is not kept").isEqualTo("miss");
        }
    }

    @Test
    void aRetryThatComesWhileItsFirstTryIsInFlightDoesNotPayTwice() throws Exception {
        try (CachingGateway sluice = new CachingGateway(dir, "")) {
            sluice.simulator.configure(io.sluice.testkit.simulator.SimulatorConfig.ofDefaults().withLatency(java.time.Duration.ofMillis(1500)));
            String key = sluice.key("acme");
            String body = question("My payment failed but the money left my account");
            try (java.net.Socket first = RawHttp.postAndHold(sluice.gateway.port(), body, "Authorization", "Bearer " + key)) {
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> sluice.simulator.stats().requests() == 1);
            } // the first try's client gives up while its call is upstream
            HttpResponse<String> retry = sluice.chat(key, body, "X-Stainless-Retry-Count", "1");
            assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
            assertThat(cache(retry)).as("the retry waited on its first try's answer").isEqualTo("hit");
            assertThat(sluice.simulator.stats().requests()).isEqualTo(1);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> sluice.outcomes("acme").size() == 2);
            assertThat(sluice.outcomes("acme")).containsExactlyInAnyOrder("OK", "CACHE_HIT");
        }
    }

    @Test
    void aReplyCutAtTheGatewaysOwnReserveIsNotKeptAsTheAnswer() throws Exception {
        try (CachingGateway sluice = new CachingGateway(dir, "\n  context: {reply-reserve-tokens: 4}\n  budgets: {global: {day: 100}}")) {
            String key = sluice.key("acme");
            String body = question("Please explain in detail how your loyalty points work and when they expire");
            HttpResponse<String> first = sluice.chat(key, body);
            assertThat(JSON.readTree(first.body()).path("choices").path(0).path("finish_reason").asText()).isEqualTo("length");
            assertThat(cache(sluice.chat(key, body))).as("a budget's reserve cut it, not the caller").isEqualTo("miss");
            String capped = body.replace("\"temperature\":0", "\"temperature\":0,\"max_tokens\":4");
            sluice.chat(key, capped);
            assertThat(cache(sluice.chat(key, capped))).as("a cap the caller set is part of the question").isEqualTo("hit");
        }
    }

    @Test
    void onlyCallsThatWentUpstreamCountInTheirDeploymentsHealth() throws Exception {
        String route = "\n  models:\n    support-bot: {provider: sim, upstream-name: gpt-4o-mini}\n  routes:\n    support: {chain: [{model: support-bot}]}";
        try (CachingGateway sluice = new CachingGateway(dir, route)) {
            String key = sluice.key("acme");
            String body = question("Is the shop open on holidays?").replace("\"gpt-4o-mini\"", "\"support\"");
            for (int i = 0; i < 4; i++) sluice.chat(key, body);
            JsonNode health = JSON.readTree(sluice.send("GET", "/admin/routes", null, CachingGateway.ADMIN).body())
                    .path("data").path(0).path("deployments").path(0).path("health");
            assertThat(health.path("requests").asLong()).as("3 hits took nothing from the deployment's latency or error rate: %s", health)
                    .isEqualTo(1);
        }
    }
}
