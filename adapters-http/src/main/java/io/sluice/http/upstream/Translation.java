package io.sluice.http.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.domain.ChatOptions;
import io.sluice.domain.ToolDefinition;
import io.sluice.domain.error.UnsupportedFeatureException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What an OpenAI chat request asks that an upstream of another API (Anthropic, Gemini) may not have. The request is
 * refused before it is sent, with a 400 naming the parameter and the provider, rather than half-served; what can be
 * translated is (an {@code allowed_tools} choice becomes the tools it allows).
 */
public final class Translation {
    private Translation() {}

    /**
     * @param provider the provider's type, as the error names it
     * @param strict whether the provider can hold a tool's arguments to its schema
     */
    public static void requireTranslatable(String provider, ChatOptions o, boolean strict) {
        if (o.choices() > 1) throw UnsupportedFeatureException.of(provider, "n", "More than one choice ('n' > 1)");
        for (int i = 0; i < o.tools().size(); i++) {
            ToolDefinition t = o.tools().get(i);
            if (!t.isFunction()) throw UnsupportedFeatureException.of(provider, "tools[" + i + "].type", "A tool of type '" + t.type() + "'");
            if (!strict && Boolean.TRUE.equals(t.strict())) {
                throw UnsupportedFeatureException.of(provider, "tools[" + i + "].function.strict", "A strict tool schema");
            }
        }
    }

    /** A custom tool named in {@code tool_choice} has no counterpart in the other APIs. */
    public static void requireFunctionChoice(String provider, JsonNode choice) {
        if ("custom".equals(choice.path("type").asText())) throw UnsupportedFeatureException.of(provider, "tool_choice", "Choosing a custom tool");
    }

    /** The tools an {@code allowed_tools} choice allows, or all of them for any other choice. */
    public static List<ToolDefinition> allowed(List<ToolDefinition> tools, JsonNode choice) {
        if (choice == null || !"allowed_tools".equals(choice.path("type").asText())) return tools;
        Set<String> names = new HashSet<>();
        for (JsonNode tool : choice.path("allowed_tools").path("tools")) names.add(tool.path("function").path("name").asText());
        return tools.stream().filter(t -> names.contains(t.name())).toList();
    }

    /** The mode of an {@code allowed_tools} choice ({@code auto} or {@code required}), or null for any other choice. */
    public static String allowedMode(JsonNode choice) {
        return "allowed_tools".equals(choice.path("type").asText()) ? choice.path("allowed_tools").path("mode").asText("auto") : null;
    }
}
