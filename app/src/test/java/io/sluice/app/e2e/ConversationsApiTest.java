package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The conversations API over HTTP, on PostgreSQL and H2. */
class ConversationsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void aConversationIsCreatedUsedPagedAndDeleted(String storage) throws Exception {
        try (TestGateway sluice = TestGateway.on(storage)) {
            HttpResponse<String> created = sluice.post("/v1/conversations", """
                    {"metadata":{"channel":"web","ticket":"T-42"},"user":"alice",
                     "system_prompt":"You are the support agent of Acme Parcels.","context_strategy":"token_budget"}""");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            JsonNode conversation = json(created);
            String id = conversation.path("id").asText();
            assertThat(id).matches("conv_[0-9a-f]{32}");
            assertThat(conversation.path("object").asText()).isEqualTo("conversation");
            assertThat(conversation.path("metadata").path("ticket").asText()).isEqualTo("T-42");
            assertThat(conversation.path("user").asText()).isEqualTo("alice");
            assertThat(conversation.path("context_strategy").asText()).isEqualTo("token_budget");
            assertThat(conversation.path("stats").path("message_count").asLong()).isEqualTo(1);
            assertThat(conversation.path("stats").path("total_tokens").asLong()).isPositive();

            for (String q : List.of("Where is parcel 7?", "It was due Monday.")) {
                assertThat(sluice.post("/v1/chat/completions", TestGateway.chat(q), "X-Conversation-Id", id).statusCode()).isEqualTo(200);
            }
            JsonNode upstream = sluice.simulator.recentRequests().getLast().path("messages");
            assertThat(upstream.get(0).path("role").asText()).isEqualTo("system");
            assertThat(upstream.get(0).path("content").asText()).isEqualTo("You are the support agent of Acme Parcels.");

            JsonNode fetched = json(sluice.get("/v1/conversations/" + id));
            assertThat(fetched.path("stats").path("message_count").asLong()).isEqualTo(5);

            JsonNode page1 = json(sluice.get("/v1/conversations/" + id + "/items?limit=2"));
            assertThat(page1.path("object").asText()).isEqualTo("list");
            assertThat(page1.path("data").findValuesAsText("role")).containsExactly("system", "user");
            assertThat(page1.path("data").get(1).path("content").get(0).path("type").asText()).isEqualTo("input_text");
            assertThat(page1.path("has_more").asBoolean()).isTrue();
            JsonNode page2 = json(sluice.get("/v1/conversations/" + id + "/items?limit=10&after=" + page1.path("last_id").asText()));
            assertThat(page2.path("data").findValuesAsText("role")).containsExactly("assistant", "user", "assistant");
            assertThat(page2.path("data").get(0).path("content").get(0).path("type").asText()).isEqualTo("output_text");
            assertThat(page2.path("data").get(0).path("tokens").asInt()).isPositive();
            assertThat(page2.path("has_more").asBoolean()).isFalse();
            JsonNode newest = json(sluice.get("/v1/conversations/" + id + "/items?limit=1&order=desc"));
            assertThat(newest.path("data").get(0).path("seq").asLong()).isEqualTo(5);

            HttpResponse<String> deleted = sluice.delete("/v1/conversations/" + id);
            assertThat(json(deleted).path("object").asText()).isEqualTo("conversation.deleted");
            assertThat(json(deleted).path("deleted").asBoolean()).isTrue();
            assertThat(sluice.get("/v1/conversations/" + id).statusCode()).isEqualTo(404);
            assertThat(sluice.get("/v1/conversations/" + id + "/items").statusCode()).isEqualTo(404);
            assertThat(sluice.post("/v1/chat/completions", TestGateway.chat("hello?"), "X-Conversation-Id", id).statusCode()).isEqualTo(404);
            assertThat(sluice.delete("/v1/conversations/" + id).statusCode()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void conversationsAreListedByUserNewestFirstPageByPage(String storage) throws Exception {
        try (TestGateway sluice = TestGateway.on(storage)) {
            List<String> bobs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                bobs.add(json(sluice.post("/v1/conversations", "{\"user\":\"bob\"}")).path("id").asText());
                sluice.post("/v1/conversations", "{\"user\":\"carol\"}");
                long created = System.currentTimeMillis();
                // distinct creation times make "newest first" observable: wait for the clock to move on
                await().pollInterval(Duration.ofMillis(1)).until(() -> System.currentTimeMillis() > created);
            }
            JsonNode first = json(sluice.get("/v1/conversations?user=bob&limit=3"));
            assertThat(first.path("data").findValuesAsText("id")).containsExactly(bobs.get(4), bobs.get(3), bobs.get(2));
            assertThat(first.path("has_more").asBoolean()).isTrue();
            JsonNode rest = json(sluice.get("/v1/conversations?user=bob&limit=3&after=" + first.path("last_id").asText()));
            assertThat(rest.path("data").findValuesAsText("id")).containsExactly(bobs.get(1), bobs.get(0));
            assertThat(rest.path("has_more").asBoolean()).isFalse();
            assertThat(json(sluice.get("/v1/conversations?limit=100")).path("data")).hasSize(10);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void aConversationsOwnStrategyAppliesToItsCalls(String storage) throws Exception {
        try (TestGateway sluice = TestGateway.on(storage)) {
            String id = json(sluice.post("/v1/conversations", "{\"system_prompt\":\"Be brief.\",\"context_strategy\":\"sliding_window(2)\"}"))
                    .path("id").asText();
            for (int i = 1; i <= 4; i++) sluice.post("/v1/chat/completions", TestGateway.chat("question " + i), "X-Conversation-Id", id);

            JsonNode messages = sluice.simulator.recentRequests().getLast().path("messages");
            assertThat(messages.findValuesAsText("role")).containsExactly("system", "user", "assistant", "user");
            assertThat(messages.get(3).path("content").asText()).isEqualTo("question 4");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "metadata not an object  | POST | /v1/conversations | {\"metadata\":[1]}                  | metadata",
            "metadata value a number | POST | /v1/conversations | {\"metadata\":{\"a\":1}}            | metadata.a",
            "unknown strategy        | POST | /v1/conversations | {\"context_strategy\":\"psychic\"} | context_strategy",
            "user not a string       | POST | /v1/conversations | {\"user\":5}                        | user",
            "malformed body          | POST | /v1/conversations | {nope                               | ",
            "limit zero              | GET  | /v1/conversations?limit=0 |                           | limit",
            "limit not a number      | GET  | /v1/conversations?limit=many |                        | limit",
            "bad cursor              | GET  | /v1/conversations?after=xyz |                         | after",
            "bad conversation id     | GET  | /v1/conversations/conv_nope |                         | id",
            "bad order               | GET  | /v1/conversations/conv_0123456789abcdef0123456789abcdef/items?order=up | | order"})
    void badRequestsAre400NamingTheParameter(String name, String method, String path, String body, String param) throws Exception {
        try (TestGateway sluice = TestGateway.onH2()) {
            HttpResponse<String> response = method.equals("POST") ? sluice.post(path, body == null ? "" : body) : sluice.get(path);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            JsonNode error = json(response).path("error");
            assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
            if (param != null) assertThat(error.path("param").asText()).isEqualTo(param);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void tooMuchMetadataIsRefused(String storage) throws Exception {
        try (TestGateway sluice = TestGateway.on(storage)) {
            StringBuilder meta = new StringBuilder("{\"metadata\":{");
            for (int i = 0; i < 17; i++) meta.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
            HttpResponse<String> response = sluice.post("/v1/conversations", meta.append("}}").toString());

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json(response).path("error").path("param").asText()).isEqualTo("metadata");
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"h2", "postgres"})
    void metadataIsUpdatedAndItemsAreAddedAndReadOneByOne(String storage) throws Exception {
        try (TestGateway sluice = TestGateway.on(storage)) {
            String id = json(sluice.post("/v1/conversations", "{\"metadata\":{\"channel\":\"web\"}}")).path("id").asText();
            assertThat(sluice.post("/v1/chat/completions", TestGateway.chat("Where is my parcel?"), "X-Conversation-Id", id).statusCode())
                    .as("a turn first, so that the window is cached").isEqualTo(200);

            JsonNode updated = json(sluice.post("/v1/conversations/" + id, "{\"metadata\":{\"channel\":\"email\",\"ticket\":\"T-9\"}}"));
            assertThat(updated.path("metadata").path("channel").asText()).isEqualTo("email");
            assertThat(json(sluice.get("/v1/conversations/" + id)).path("metadata").path("ticket").asText()).isEqualTo("T-9");
            StringBuilder tooMany = new StringBuilder("{\"metadata\":{");
            for (int k = 0; k < 17; k++) tooMany.append(k == 0 ? "" : ",").append("\"k").append(k).append("\":\"v\"");
            HttpResponse<String> refused = sluice.post("/v1/conversations/" + id, tooMany + "}}");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(json(refused).path("error").path("param").asText()).isEqualTo("metadata");

            HttpResponse<String> added = sluice.post("/v1/conversations/" + id + "/items", "{\"items\":[{\"type\":\"message\",\"role\":\"user\","
                    + "\"content\":[{\"type\":\"input_text\",\"text\":\"My order number is 4711.\"}]},{\"role\":\"assistant\",\"content\":\"Noted.\"}]}");
            assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
            JsonNode data = json(added).path("data");
            assertThat(data).hasSize(2);
            String itemId = data.get(0).path("id").asText();

            assertThat(sluice.post("/v1/chat/completions", TestGateway.chat("What was my order number?"), "X-Conversation-Id", id).statusCode()).isEqualTo(200);
            String history = sluice.simulator.recentRequests().getLast().path("messages").toString();
            assertThat(history).as("the added items are history, the cached window notwithstanding").contains("My order number is 4711.").contains("Noted.");

            JsonNode item = json(sluice.get("/v1/conversations/" + id + "/items/" + itemId));
            assertThat(item.path("content").get(0).path("text").asText()).isEqualTo("My order number is 4711.");
            HttpResponse<String> missing = sluice.get("/v1/conversations/" + id + "/items/msg_999");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(json(missing).path("error").path("code").asText()).isEqualTo("item_not_found");
            assertThat(sluice.post("/v1/conversations/conv_" + "0".repeat(32), "{\"metadata\":{}}").statusCode()).isEqualTo(404);
            assertThat(sluice.post("/v1/conversations/" + id + "/items", "{\"items\":[]}").statusCode()).isEqualTo(400);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void anItemIsDeletedForGoodAndAToolCallLeavesWithItsResult(String storage) throws Exception {
        try (TestGateway sluice = TestGateway.on(storage)) {
            String id = json(sluice.post("/v1/conversations", "{\"system_prompt\":\"You are Acme's agent.\"}")).path("id").asText();
            assertThat(sluice.post("/v1/chat/completions", TestGateway.chat("Where is my parcel?"), "X-Conversation-Id", id).statusCode())
                    .as("a turn first, so that the window is cached").isEqualTo(200);
            JsonNode added = json(sluice.post("/v1/conversations/" + id + "/items", """
                    {"items":[{"role":"user","content":"My card number is 4111 1111 1111 1111."},
                              {"role":"user","content":"Track parcel 7."},
                              {"type":"function_call","call_id":"call_7","name":"track","arguments":"{\\"parcel\\":7}"},
                              {"type":"function_call_output","call_id":"call_7","output":"status: DEPARTED_HUB"},
                              {"role":"assistant","content":"It shipped yesterday."}]}""")).path("data");
            assertThat(added).hasSize(5);
            String secret = added.get(0).path("id").asText();
            String call = added.get(2).path("id").asText();
            long before = json(sluice.get("/v1/conversations/" + id)).path("stats").path("total_tokens").asLong();

            HttpResponse<String> deleted = sluice.delete("/v1/conversations/" + id + "/items/" + secret);
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
            assertThat(json(deleted).path("object").asText()).as("the conversation, as OpenAI answers").isEqualTo("conversation");
            assertThat(json(deleted).path("stats").path("message_count").asLong()).isEqualTo(7);
            assertThat(json(deleted).path("stats").path("total_tokens").asLong()).isLessThan(before);
            assertThat(sluice.get("/v1/conversations/" + id + "/items/" + secret).statusCode()).isEqualTo(404);
            HttpResponse<String> twice = sluice.delete("/v1/conversations/" + id + "/items/" + secret);
            assertThat(twice.statusCode()).as("the retry that comes twice").isEqualTo(404);
            assertThat(json(twice).path("error").path("code").asText()).isEqualTo("item_not_found");

            assertThat(sluice.delete("/v1/conversations/" + id + "/items/" + call).statusCode()).isEqualTo(200);
            JsonNode items = json(sluice.get("/v1/conversations/" + id + "/items?limit=100")).path("data");
            assertThat(items.toString()).as("the call's result went with it").doesNotContain("call_7").doesNotContain("DEPARTED_HUB")
                    .contains("Track parcel 7.").contains("It shipped yesterday.");

            assertThat(sluice.post("/v1/chat/completions", TestGateway.chat("Anything else?"), "X-Conversation-Id", id).statusCode()).isEqualTo(200);
            String history = sluice.simulator.recentRequests().getLast().path("messages").toString();
            assertThat(history).as("gone from the context too, the cached window notwithstanding").doesNotContain("4111").doesNotContain("call_7")
                    .contains("Track parcel 7.");

            assertThat(sluice.delete("/v1/conversations/" + id + "/items/nope").statusCode()).isEqualTo(400);
            assertThat(sluice.delete("/v1/conversations/conv_" + "0".repeat(32) + "/items/msg_1").statusCode()).isEqualTo(404);
        }
    }
}
