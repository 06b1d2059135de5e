package io.sluice.testkit.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.api.Encoding;
import io.sluice.domain.context.LexicalVectors;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/** The simulator's embeddings, in OpenAI's API and Gemini's, with its faults, counters and bill. Thread-safe. */
final class SimulatedEmbeddings {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Simulator sim;

    SimulatedEmbeddings(Simulator sim) {
        this.sim = sim;
    }

    /**
     * Deterministic lexical vectors ({@link LexicalVectors}), so equal texts embed equally; token arrays embed as their
     * ids' text. {@code encoding_format: base64} is OpenAI's (float32, little-endian). A fault directive in any input
     * is injected as in a chat call, and the per-key faults apply.
     */
    void openAi(RoutingContext ctx) {
        sim.requests.incrementAndGet();
        JsonNode body = sim.parse(ctx, OpenAiDialect.INSTANCE);
        if (body == null) return;
        sim.remember(body);
        JsonNode input = body.path("input");
        List<String> texts = new ArrayList<>();
        List<Integer> tokenCounts = new ArrayList<>();
        if (input.isTextual()) texts.add(input.asText());
        else input.forEach(n -> {
            texts.add(n.isArray() ? n.toString() : n.asText());
            tokenCounts.add(n.isArray() ? n.size() : -1);
        });
        if (texts.isEmpty()) {
            FaultResponses.error(ctx.response(), 400, "'input' must not be empty", "input", OpenAiDialect.INSTANCE);
            return;
        }
        if (sim.injectedFault(ctx, texts, OpenAiDialect.INSTANCE)) return;
        int dims = body.path("dimensions").asInt(64);
        boolean base64 = "base64".equals(body.path("encoding_format").asText());
        String model = body.path("model").asText("text-embedding-3-small");
        Encoding encoding = Replies.encodingFor(model);
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        int tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            int arrayTokens = i < tokenCounts.size() ? tokenCounts.get(i) : -1;
            tokens += arrayTokens >= 0 ? arrayTokens : Replies.count(texts.get(i), encoding);
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            float[] vector = LexicalVectors.embed(texts.get(i), dims);
            if (base64) {
                java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(vector.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (float v : vector) bytes.putFloat(v);
                item.put("embedding", java.util.Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float v : vector) values.add(v);
            }
        }
        root.put("model", model);
        root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        sim.bill(tokens, 0);
        sim.served.incrementAndGet();
        ctx.response().putHeader("content-type", "application/json").end(root.toString());
    }


    /**
     * Gemini's {@code batchEmbedContents}: the same lexical vectors, {@code outputDimensionality} as the size, and, as
     * Gemini's own answer, no usage; as Gemini, at most 100 requests a call.
     */
    void gemini(RoutingContext ctx) {
        sim.requests.incrementAndGet();
        JsonNode body = sim.parse(ctx, GeminiDialect.INSTANCE);
        if (body == null) return;
        sim.remember(body);
        List<String> texts = new ArrayList<>();
        body.path("requests").forEach(r -> {
            StringBuilder text = new StringBuilder();
            r.path("content").path("parts").forEach(part -> text.append(part.path("text").asText()));
            texts.add(text.toString());
        });
        if (texts.isEmpty() || texts.size() > 100) {
            FaultResponses.error(ctx.response(), 400, texts.isEmpty() ? "'requests' must not be empty" : "at most 100 requests can be in one batch",
                    "requests", GeminiDialect.INSTANCE);
            return;
        }
        if (sim.injectedFault(ctx, texts, GeminiDialect.INSTANCE)) return;
        ObjectNode root = JSON.createObjectNode();
        ArrayNode embeddings = root.putArray("embeddings");
        int tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            tokens += Replies.count(texts.get(i), Replies.encodingFor("gpt-4o"));
            ArrayNode values = embeddings.addObject().putArray("values");
            for (float v : LexicalVectors.embed(texts.get(i), body.path("requests").get(i).path("outputDimensionality").asInt(64))) values.add(v);
        }
        sim.bill(tokens, 0);
        sim.served.incrementAndGet();
        ctx.response().putHeader("content-type", "application/json").end(root.toString());
    }
}
