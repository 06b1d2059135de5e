package io.sluice.domain;

import io.sluice.domain.error.InvalidRequestException;
import java.util.List;
import java.util.Map;

/**
 * The sampling and tool options of a chat request. Every field may be null, meaning "the upstream's default".
 * Values that are JSON structures the gateway does not interpret ({@code tool_choice}, {@code response_format},
 * fields it does not know) are carried as raw JSON text so that they reach the upstream unchanged.
 * Ranges are checked here, so every inbound adapter rejects the same inputs with the same messages.
 */
public record ChatOptions(Double temperature, Double topP, Integer maxTokens, List<String> stop,
                          List<ToolDefinition> tools, String toolChoiceJson, String user, String responseFormatJson,
                          Long seed, Double presencePenalty, Double frequencyPenalty, Map<String, String> extraJson) {
    public static final ChatOptions NONE = new ChatOptions(null, null, null, List.of(), List.of(), null, null, null,
            null, null, null, Map.of());
    public static final int MAX_STOP_SEQUENCES = 4;

    public ChatOptions {
        checkRange(temperature, 0, 2, "temperature");
        checkRange(topP, 0, 1, "top_p");
        checkRange(presencePenalty, -2, 2, "presence_penalty");
        checkRange(frequencyPenalty, -2, 2, "frequency_penalty");
        if (maxTokens != null && maxTokens < 1) {
            throw new InvalidRequestException("'max_tokens' must be at least 1, was " + maxTokens, "max_tokens");
        }
        stop = stop == null ? List.of() : List.copyOf(stop);
        if (stop.size() > MAX_STOP_SEQUENCES) {
            throw new InvalidRequestException("'stop' allows at most " + MAX_STOP_SEQUENCES + " sequences", "stop");
        }
        tools = tools == null ? List.of() : List.copyOf(tools);
        StoredText.requireName(user, "user");
        StoredText.requireStorable(user, "user");
        extraJson = extraJson == null ? Map.of() : Map.copyOf(extraJson);
    }

    private static void checkRange(Double value, double min, double max, String param) {
        if (value != null && (value.isNaN() || value < min || value > max)) {
            throw new InvalidRequestException("'" + param + "' must be between " + min + " and " + max + ", was " + value, param);
        }
    }

    /** These options with {@code max_tokens} set: the reply the gateway reserved budget for is all it may get. */
    public ChatOptions withMaxTokens(int value) {
        return new ChatOptions(temperature, topP, value, stop, tools, toolChoiceJson, user, responseFormatJson, seed, presencePenalty,
                frequencyPenalty, extraJson);
    }
}
