package io.sluice.http.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.Role;
import io.sluice.domain.ToolCall;
import io.sluice.domain.Usage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire mapping: what a client sends reaches the upstream intact, and answers are framed as OpenAI frames them. */
class OpenAiJsonTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final ChatRequestReader reader = new ChatRequestReader(mapper);
    private final OpenAiJson json = new OpenAiJson(mapper);

    @Test
    void aRequestReachesTheUpstreamWithEveryFieldIncludingOnesWeDoNotRead() throws Exception {
        String body = """
                {"model":"gpt-4o","temperature":0.2,"top_p":0.9,"max_tokens":50,"stop":"END","seed":7,"user":"u-1",
                 "presence_penalty":0.5,"frequency_penalty":-0.5,"response_format":{"type":"json_object"},
                 "logprobs":true,"metadata":{"ticket":"T-9"},"parallel_tool_calls":false,
                 "tools":[{"type":"function","function":{"name":"lookup","description":"Find","parameters":{"type":"object","properties":{}}}}],
                 "tool_choice":{"type":"function","function":{"name":"lookup"}},
                 "messages":[{"role":"developer","content":"Be brief."},
                             {"role":"user","name":"alice","content":[{"type":"text","text":"Hi "},{"type":"text","text":"there"}]},
                             {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"lookup","arguments":"{}"}}]},
                             {"role":"tool","tool_call_id":"c1","content":"found"}]}""";
        ParsedChatRequest parsed = reader.read(body.getBytes(StandardCharsets.UTF_8));
        JsonNode upstream = mapper.readTree(json.writeRequest(parsed.request(), true));

        assertThat(upstream.path("model").asText()).isEqualTo("gpt-4o");
        assertThat(upstream.path("max_tokens").asInt()).as("the name the client used: some relays know no other").isEqualTo(50);
        assertThat(upstream.has("max_completion_tokens")).isFalse();
        assertThat(upstream.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(upstream.path("stop").get(0).asText()).isEqualTo("END");
        assertThat(upstream.path("logprobs").asBoolean()).isTrue();
        assertThat(upstream.path("metadata").path("ticket").asText()).isEqualTo("T-9");
        assertThat(upstream.path("parallel_tool_calls").asBoolean(true)).isFalse();
        assertThat(upstream.path("response_format").path("type").asText()).isEqualTo("json_object");
        assertThat(upstream.path("tool_choice").path("function").path("name").asText()).isEqualTo("lookup");
        assertThat(upstream.path("tools").get(0).path("function").path("parameters").path("type").asText()).isEqualTo("object");
        JsonNode messages = upstream.path("messages");
        assertThat(messages.get(0).path("role").asText()).isEqualTo("system");
        assertThat(messages.get(1).path("content").asText()).isEqualTo("Hi there");
        assertThat(messages.get(1).path("name").asText()).isEqualTo("alice");
        assertThat(messages.get(2).path("content").isNull()).isTrue();
        assertThat(messages.get(2).path("tool_calls").get(0).path("id").asText()).isEqualTo("c1");
        assertThat(messages.get(3).path("tool_call_id").asText()).isEqualTo("c1");
        assertThat(parsed.stream()).isFalse();
    }

    @Test
    void aResponseIsFramedAsOpenAisChatCompletion() throws Exception {
        ChatResponse response = new ChatResponse("chatcmpl-1", "gpt-4o", 1700000000L,
                ChatMessage.assistant(null, List.of(new ToolCall("c1", "lookup", "{\"id\":1}"))), "tool_calls", new Usage(10, 5, 2));
        JsonNode node = mapper.readTree(json.writeResponse(response));

        assertThat(node.path("object").asText()).isEqualTo("chat.completion");
        JsonNode message = node.path("choices").get(0).path("message");
        assertThat(message.path("role").asText()).isEqualTo("assistant");
        assertThat(message.path("tool_calls").get(0).path("function").path("arguments").asText()).isEqualTo("{\"id\":1}");
        assertThat(node.path("choices").get(0).path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(node.path("usage").path("total_tokens").asInt()).isEqualTo(15);
        assertThat(node.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt()).isEqualTo(2);
    }

    @Test
    void chunksRoundTripAndTheUsageChunkHasNoChoices() throws Exception {
        ChatChunk first = new ChatChunk("c", "gpt-4o", 1, Role.ASSISTANT, "", List.of(), null, null);
        ChatChunk usage = new ChatChunk("c", "gpt-4o", 1, null, null, List.of(), null, new Usage(3, 4, 0));

        JsonNode firstNode = mapper.readTree(json.writeChunk(first, true));
        assertThat(firstNode.path("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(firstNode.path("choices").get(0).path("delta").path("role").asText()).isEqualTo("assistant");
        assertThat(firstNode.has("usage")).isTrue();
        assertThat(firstNode.path("usage").isNull()).isTrue();
        assertThat(mapper.readTree(json.writeChunk(first, false)).has("usage")).isFalse();

        JsonNode usageNode = mapper.readTree(json.writeChunk(usage, true));
        assertThat(usageNode.path("choices")).isEmpty();
        assertThat(json.readChunk(usageNode).usage()).isEqualTo(new Usage(3, 4, 0));
        assertThat(json.readChunk(usageNode).isUsageOnly()).isTrue();
    }

    @Test
    void strictCustomToolsTheAllowedToolsAndSeveralChoicesReachTheUpstreamAsSent() throws Exception {
        String function = "{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"strict\":true,\"parameters\":{\"type\":\"object\","
                + "\"properties\":{\"id\":{\"type\":\"string\"}},\"required\":[\"id\"],\"additionalProperties\":false}}}";
        String custom = "{\"type\":\"custom\",\"custom\":{\"name\":\"sql\",\"format\":{\"type\":\"grammar\",\"grammar\":{\"syntax\":\"lark\",\"definition\":\"start: /.+/\"}}}}";
        String choice = "{\"type\":\"allowed_tools\",\"allowed_tools\":{\"mode\":\"required\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup\"}}]}}";
        String body = "{\"model\":\"gpt-4o\",\"n\":3,\"max_completion_tokens\":20,\"tools\":[" + function + "," + custom + "],\"tool_choice\":" + choice
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        ParsedChatRequest parsed = reader.read(body.getBytes(StandardCharsets.UTF_8));
        JsonNode upstream = mapper.readTree(json.writeRequest(parsed.request(), false));

        assertThat(upstream.path("tools").get(0)).isEqualTo(mapper.readTree(function));
        assertThat(upstream.path("tools").get(1)).isEqualTo(mapper.readTree(custom));
        assertThat(upstream.path("tool_choice")).isEqualTo(mapper.readTree(choice));
        assertThat(upstream.path("n").asInt()).isEqualTo(3);
        assertThat(upstream.path("max_completion_tokens").asInt()).isEqualTo(20);
        assertThat(parsed.request().options().choices()).isEqualTo(3);
        assertThat(parsed.request().options().tools().get(0).strict()).isTrue();
        assertThat(parsed.request().options().tools().get(1).isFunction()).isFalse();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "\"n\":0                                                   | n",
            "\"n\":129                                                 | n",
            "\"n\":1.5                                                 | n",
            "\"tools\":[{\"type\":\"retrieval\"}]                        | tools[0].type",
            "\"tools\":[{\"type\":\"custom\",\"custom\":{}}]             | tools[0].custom.name",
            "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"strict\":\"yes\"}}] | tools[0].function.strict",
            "\"tool_choice\":{\"type\":\"allowed_tools\",\"allowed_tools\":{\"mode\":\"sometimes\",\"tools\":[]}} | tool_choice"})
    void aBadChoiceCountOrToolIsRefusedNamingTheField(String field, String param) {
        String body = "{\"model\":\"gpt-4o\"," + field + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> reader.read(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(io.sluice.domain.error.InvalidRequestException.class, e -> assertThat(e.param()).isEqualTo(param));
    }

    @Test
    void anOpenAiAnswerReachesTheClientWithEveryFieldItHad() throws Exception {
        JsonNode upstream = mapper.readTree(io.sluice.testkit.fixtures.OpenAiAnswers.RICH_COMPLETION);
        ChatResponse response = json.readResponse(upstream);

        assertThat(response.message().content()).as("the first choice is the answer stored and billed").startsWith("See ");
        assertThat(mapper.readTree(json.writeResponse(response))).isEqualTo(upstream);
        JsonNode renamed = mapper.readTree(json.writeResponse(response.withModel("support-route")));
        assertThat(renamed.path("model").asText()).isEqualTo("support-route");
        assertThat(((com.fasterxml.jackson.databind.node.ObjectNode) renamed).put("model", "gpt-4o-2024-08-06")).isEqualTo(upstream);
        assertThat(upstream.path("model").asText()).as("the upstream's answer is never changed").isEqualTo("gpt-4o-2024-08-06");
    }

    @Test
    void aChunkOfAnotherChoiceIsPassedOnButNotReadAsTheAnswer() throws Exception {
        String refusal = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"system_fingerprint\":\"fp_1\","
                + "\"choices\":[{\"index\":1,\"delta\":{\"refusal\":\"I can't\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}";
        JsonNode node = mapper.readTree(refusal);
        ChatChunk chunk = json.readChunk(node);

        assertThat(chunk.contentDelta()).isNull();
        assertThat(chunk.role()).isNull();
        assertThat(chunk.isUsageOnly()).isFalse();
        assertThat(mapper.readTree(json.writeChunk(chunk, true))).isEqualTo(node);
        JsonNode withoutUsage = mapper.readTree(json.writeChunk(chunk, false));
        assertThat(withoutUsage.has("usage")).as("the client did not ask for usage").isFalse();
        assertThat(withoutUsage.path("choices").get(0).path("delta").path("refusal").asText()).isEqualTo("I can't");
    }
}
