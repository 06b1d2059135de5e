package io.sluice.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatOptions;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.StoredText;
import io.sluice.domain.Usage;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.http.openai.JsonBodies;
import io.sluice.http.openai.JsonFields;
import io.sluice.http.openai.OpenAiJson;
import io.sluice.http.openai.ParsedChatRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * OpenAI's legacy completions ({@code POST /v1/completions}) as a chat call: the prompt is the user's message, and the
 * answer's text the completion, so that older clients reach any model. What only a completion model can do
 * ({@code suffix}, {@code echo}, {@code best_of}, {@code logprobs}, several prompts or choices) is refused by name.
 */
final class CompletionsChatApi implements ChatApi {
    private static final Set<String> REFUSED = Set.of("suffix", "echo", "best_of", "logprobs");
    /** OpenAI's default for a completion: short. */
    static final int DEFAULT_MAX_TOKENS = 16;
    private final ObjectMapper json;
    private final OpenAiJson errors;

    CompletionsChatApi(OpenAiJson errors) {
        this.json = errors.mapper();
        this.errors = errors;
    }

    @Override
    public ParsedChatRequest read(byte[] body, Optional<String> defaultModel) {
        JsonNode root = JsonBodies.read(json, body);
        if (root == null || !root.isObject()) throw new InvalidRequestException("The request body must be a JSON object", null);
        JsonBodies.requireStorable(root, "");
        for (String field : REFUSED) {
            JsonNode value = root.get(field);
            if (value != null && !value.isNull() && !(value.isBoolean() && !value.booleanValue())) {
                throw new InvalidRequestException("'" + field + "' is not supported: completions are served by chat models", field, "unsupported_parameter");
            }
        }
        String model = JsonFields.model(root, defaultModel);
        JsonNode prompt = root.get("prompt");
        String text = prompt != null && prompt.isArray() && prompt.size() == 1 && prompt.get(0).isTextual() ? prompt.get(0).textValue()
                : prompt != null && prompt.isTextual() ? prompt.textValue() : null;
        if (text == null || text.isEmpty()) {
            throw new InvalidRequestException("'prompt' must be one non-empty string (several prompts in one call are not supported)", "prompt");
        }
        String user = JsonFields.optionalString(root, "user", "user");
        StoredText.requireName(user, "user");
        Integer maxTokens = JsonFields.optionalInt(root, "max_tokens");
        Integer n = JsonFields.optionalInt(root, "n");
        if (n != null && n != 1) throw new InvalidRequestException("Only 'n' = 1 is supported on completions", "n", "unsupported_parameter");
        List<String> stop = new ArrayList<>();
        JsonNode stops = root.get("stop");
        if (stops != null && stops.isTextual()) stop.add(stops.textValue());
        else if (stops != null && stops.isArray()) stops.forEach(s -> stop.add(s.asText()));
        ChatOptions options = ChatOptions.builder().maxTokens(maxTokens == null ? DEFAULT_MAX_TOKENS : maxTokens).legacyMaxTokens(true)
                .temperature(JsonFields.optionalNumber(root, "temperature")).topP(JsonFields.optionalNumber(root, "top_p")).stop(stop)
                .user(user).presencePenalty(JsonFields.optionalNumber(root, "presence_penalty"))
                .frequencyPenalty(JsonFields.optionalNumber(root, "frequency_penalty")).build();
        boolean stream = root.path("stream").asBoolean(false);
        boolean includeUsage = stream && root.path("stream_options").path("include_usage").asBoolean(false);
        return new ParsedChatRequest(new ChatRequest(model, List.of(ChatMessage.user(text)), options), stream, includeUsage);
    }

    @Override
    public byte[] response(ParsedChatRequest request, ChatResponse response, Answered answered) {
        ObjectNode root = header(response.id(), response.model(), response.createdEpochSeconds());
        choice(root, response.message().content() == null ? "" : response.message().content(), response.finishReason());
        usage(root, response.usage());
        return root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public StreamFormat streamFormat(ParsedChatRequest request, Answered answered) {
        return new OpenAiChatApi.Framing(errors) {
            @Override
            public String chunk(ChatChunk chunk) {
                ObjectNode root = header(chunk.id(), chunk.model(), chunk.createdEpochSeconds());
                if (chunk.isUsageOnly()) {
                    if (!request.includeUsage()) return "";
                    root.putArray("choices");
                    usage(root, chunk.usage());
                } else if (chunk.contentDelta() != null || chunk.finishReason() != null) {
                    choice(root, chunk.contentDelta() == null ? "" : chunk.contentDelta(), chunk.finishReason());
                } else {
                    return ""; // the role chunk has no text
                }
                return "data: " + root + "\n\n";
            }
        };
    }

    @Override
    public void sendError(HttpServerResponse response, ErrorResponses.ApiError error) {
        ErrorResponses.send(response, errors, error);
    }

    private ObjectNode header(String id, String model, long created) {
        return json.createObjectNode().put("id", id.startsWith("cmpl-") ? id : "cmpl-" + id.replaceFirst("^chatcmpl-", ""))
                .put("object", "text_completion").put("created", created).put("model", model);
    }

    private static void choice(ObjectNode root, String text, String finishReason) {
        ObjectNode choice = root.putArray("choices").addObject().put("text", text).put("index", 0);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
    }

    private static void usage(ObjectNode root, Usage u) {
        root.putObject("usage").put("prompt_tokens", u.promptTokens()).put("completion_tokens", u.completionTokens()).put("total_tokens", u.totalTokens());
    }
}
