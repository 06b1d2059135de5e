package io.sluice.domain;

import io.sluice.domain.error.InvalidRequestException;
import java.util.List;
import java.util.Map;

/**
 * The sampling and tool options of a chat request. Every field may be null, meaning "the upstream's default".
 * Values that are JSON structures the gateway does not interpret ({@code tool_choice}, {@code response_format},
 * fields it does not know) are carried as raw JSON text so that they reach the upstream unchanged.
 * Ranges are checked here, so every inbound adapter rejects the same inputs with the same messages.
 * {@code n}: how many choices to generate (OpenAI's name; null means one). {@code legacyMaxTokens}: the client named
 * the reply cap {@code max_tokens}, not {@code max_completion_tokens}; an OpenAI-compatible upstream gets the name the
 * client used, since some relays know only the older one.
 */
public record ChatOptions(Double temperature, Double topP, Integer maxTokens, List<String> stop,
                          List<ToolDefinition> tools, String toolChoiceJson, String user, String responseFormatJson,
                          Long seed, Double presencePenalty, Double frequencyPenalty, Map<String, String> extraJson,
                          Integer n, boolean legacyMaxTokens) {
    public static final ChatOptions NONE = new ChatOptions(null, null, null, List.of(), List.of(), null, null, null,
            null, null, null, Map.of(), null, false);
    public static final int MAX_STOP_SEQUENCES = 4;
    /** OpenAI's limit on {@code n}. */
    public static final int MAX_CHOICES = 128;

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
        if (n != null && (n < 1 || n > MAX_CHOICES)) {
            throw new InvalidRequestException("'n' must be between 1 and " + MAX_CHOICES + ", was " + n, "n");
        }
    }

    /** How many choices the reply holds: each may be as long as {@code max_tokens}, and all are billed. */
    public int choices() {
        return n == null ? 1 : n;
    }

    private static void checkRange(Double value, double min, double max, String param) {
        if (value != null && (value.isNaN() || value < min || value > max)) {
            throw new InvalidRequestException("'" + param + "' must be between " + min + " and " + max + ", was " + value, param);
        }
    }

    /** These options with {@code max_tokens} set: the reply the gateway reserved budget for is all it may get. */
    public ChatOptions withMaxTokens(int value) {
        return toBuilder().maxTokens(value).build();
    }

    /** Options with every field unset; set what the request says. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().temperature(temperature).topP(topP).maxTokens(maxTokens).stop(stop).tools(tools).toolChoiceJson(toolChoiceJson)
                .user(user).responseFormatJson(responseFormatJson).seed(seed).presencePenalty(presencePenalty).frequencyPenalty(frequencyPenalty)
                .extraJson(extraJson).n(n).legacyMaxTokens(legacyMaxTokens);
    }

    /** Builds {@link ChatOptions}, checking the ranges on {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private Double temperature;
        private Double topP;
        private Integer maxTokens;
        private List<String> stop = List.of();
        private List<ToolDefinition> tools = List.of();
        private String toolChoiceJson;
        private String user;
        private String responseFormatJson;
        private Long seed;
        private Double presencePenalty;
        private Double frequencyPenalty;
        private Map<String, String> extraJson = Map.of();
        private Integer n;
        private boolean legacyMaxTokens;

        private Builder() {}

        public Builder n(Integer value) {
            n = value;
            return this;
        }

        /** The client named the reply cap {@code max_tokens}. */
        public Builder legacyMaxTokens(boolean value) {
            legacyMaxTokens = value;
            return this;
        }

        public Builder temperature(Double value) {
            temperature = value;
            return this;
        }

        public Builder topP(Double value) {
            topP = value;
            return this;
        }

        public Builder maxTokens(Integer value) {
            maxTokens = value;
            return this;
        }

        public Builder stop(List<String> value) {
            stop = value;
            return this;
        }

        public Builder tools(List<ToolDefinition> value) {
            tools = value;
            return this;
        }

        /** {@code tool_choice} as raw JSON. */
        public Builder toolChoiceJson(String value) {
            toolChoiceJson = value;
            return this;
        }

        public Builder user(String value) {
            user = value;
            return this;
        }

        /** {@code response_format} as raw JSON. */
        public Builder responseFormatJson(String value) {
            responseFormatJson = value;
            return this;
        }

        public Builder seed(Long value) {
            seed = value;
            return this;
        }

        public Builder presencePenalty(Double value) {
            presencePenalty = value;
            return this;
        }

        public Builder frequencyPenalty(Double value) {
            frequencyPenalty = value;
            return this;
        }

        /** Fields the gateway does not read, by name, as raw JSON, passed to the upstream as they came. */
        public Builder extraJson(Map<String, String> value) {
            extraJson = value;
            return this;
        }

        public ChatOptions build() {
            return new ChatOptions(temperature, topP, maxTokens, stop, tools, toolChoiceJson, user, responseFormatJson, seed, presencePenalty,
                    frequencyPenalty, extraJson, n, legacyMaxTokens);
        }
    }
}
