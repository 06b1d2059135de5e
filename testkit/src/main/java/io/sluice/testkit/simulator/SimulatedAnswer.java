package io.sluice.testkit.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.api.Encoding;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's deterministic answer to one chat request: a reply ({@link Replies}) or a tool call, its usage as
 * OpenAI would count it, and the pieces a stream sends. With {@code n} > 1 every choice is the same answer, and
 * {@code completionTokens} counts them all. Immutable.
 */
record SimulatedAnswer(String id, String model, long created, String text, ObjectNode toolCall, int promptTokens,
                  int completionTokens, List<String> pieces, int choices, boolean structured) {
    private static final ObjectMapper JSON = new ObjectMapper();

        ObjectNode completion() {
            ObjectNode root = header("chat.completion");
            com.fasterxml.jackson.databind.node.ArrayNode all = root.putArray("choices");
            for (int i = 0; i < choices; i++) choice(all.addObject(), i);
            root.set("usage", usage(completionTokens));
            return root;
        }

        private void choice(ObjectNode choice, int index) {
            choice.put("index", index);
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            if (toolCall != null) {
                message.putNull("content");
                message.putArray("tool_calls").add(toolCall);
            } else {
                message.put("content", text);
            }
            message.putNull("refusal");
            choice.putNull("logprobs");
            choice.put("finish_reason", finishReason());
        }

        String finishReason() {
            if (toolCall != null) return "tool_calls";
            return !structured && Replies.isTruncated(text) ? "length" : "stop"; // a structured answer is always whole
        }

        ObjectNode header(String object) {
            ObjectNode root = JSON.createObjectNode();
            root.put("id", id).put("object", object).put("created", created).put("model", model)
                    .put("system_fingerprint", "fp_sluice_sim");
            return root;
        }

        ObjectNode usage(int completion) {
            ObjectNode usage = JSON.createObjectNode();
            usage.put("prompt_tokens", promptTokens).put("completion_tokens", completion)
                    .put("total_tokens", promptTokens + completion);
            usage.putObject("prompt_tokens_details").put("cached_tokens", 0);
            return usage;
        }

    /** The answer to a chat request body; {@code requestNumber} makes ids distinct. */
    static SimulatedAnswer of(JsonNode body, long requestNumber) {
        String model = body.path("model").asText("gpt-4o-mini");
        Encoding encoding = Replies.encodingFor(model);
        List<String> contents = new ArrayList<>();
        List<String[]> framed = new ArrayList<>();
        for (JsonNode m : body.path("messages")) {
            String content = text(m.path("content"));
            contents.add(content);
            StringBuilder counted = new StringBuilder(content);
            for (JsonNode call : m.path("tool_calls")) {
                counted.append(call.path("function").path("name").asText()).append(call.path("function").path("arguments").asText());
            }
            framed.add(new String[]{m.path("role").asText(), counted.toString(), m.hasNonNull("name") ? m.path("name").asText() : null});
        }
        int prompt = Replies.promptTokens(framed, encoding);
        Integer maxTokens = body.hasNonNull("max_completion_tokens") ? Integer.valueOf(body.path("max_completion_tokens").asInt())
                : body.hasNonNull("max_tokens") ? Integer.valueOf(body.path("max_tokens").asInt()) : null;
        String id = "chatcmpl-sim" + Integer.toHexString(String.join("|", contents).hashCode()) + Long.toHexString(requestNumber);
        long created = System.currentTimeMillis() / 1000;
        int choices = Math.max(1, body.path("n").asInt(1));
        ObjectNode toolCall = toolCall(body, contents);
        if (toolCall != null) {
            JsonNode fn = toolCall.path("function");
            int completion = Replies.count(fn.path("name").asText(), encoding) + Replies.count(fn.path("arguments").asText(), encoding);
            return new SimulatedAnswer(id, model, created, null, toolCall, prompt, completion * choices, List.of(), choices, false);
        }
        String structured = structured(body.path("response_format"), contents.getLast());
        String text = structured != null ? structured : Replies.text(contents, maxTokens, encoding);
        return new SimulatedAnswer(id, model, created, text, null, prompt, Replies.count(text, encoding) * choices, Replies.pieces(text), choices, structured != null);
    }

    /** Calls a tool when tools are offered, the choice allows it, and the last message is the user's. */
    private static ObjectNode toolCall(JsonNode body, List<String> contents) {
        JsonNode tools = body.path("tools");
        JsonNode choice = body.path("tool_choice");
        JsonNode messages = body.path("messages");
        boolean userSpokeLast = "user".equals(messages.get(messages.size() - 1).path("role").asText());
        if (!tools.isArray() || tools.isEmpty() || "none".equals(choice.asText()) || !userSpokeLast) return null;
        String name = choice.path("function").path("name").asText(tools.get(0).path("function").path("name").asText());
        JsonNode schema = null;
        for (JsonNode tool : tools) if (tool.path("function").path("name").asText().equals(name)) schema = tool.path("function").get("parameters");
        ObjectNode call = JSON.createObjectNode();
        call.put("id", "call_" + Integer.toHexString(contents.getLast().hashCode() & 0x7fffffff));
        call.put("type", "function");
        JsonNode args = schema == null || schema.isNull() ? JSON.createObjectNode().put("query", contents.getLast()) : SchemaExample.of(schema, contents.getLast());
        call.putObject("function").put("name", name).put("arguments", args.toString());
        return call;
    }

    /** JSON for a {@code response_format} that asks for it: one that validates against the schema given; else null. */
    private static String structured(JsonNode format, String lastContent) {
        return switch (format.path("type").asText("")) {
            case "json_schema" -> SchemaExample.of(format.path("json_schema").path("schema"), lastContent).toString();
            case "json_object" -> JSON.createObjectNode().put("answer", lastContent).toString();
            default -> null;
        };
    }

    /** The text of a message's content: a string, or the text parts of an array of parts. */
    static String text(JsonNode content) {
        if (content.isTextual()) return content.asText();
        if (!content.isArray()) return "";
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) if ("text".equals(part.path("type").asText())) text.append(part.path("text").asText());
        return text.toString();
    }
}
