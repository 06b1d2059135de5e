package io.sluice.testkit.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's batch APIs: OpenAI's Batch API ({@code /v1/files} and {@code /v1/batches}) and Anthropic's Message
 * Batches ({@code /v1/messages/batches}). A batch's requests are answered one at a time, one every {@code pace}, as
 * chat calls would be (a {@code [sim:...]} directive fails one); a cancelled batch stops where it is.
 */
final class SimulatedBatches {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request of a batch, and what it came to (null until run). */
    private static final class Item {
        final String customId;
        final ObjectNode openAiBody;
        volatile JsonNode answer;
        volatile int status;

        Item(String customId, ObjectNode openAiBody) {
            this.customId = customId;
            this.openAiBody = openAiBody;
        }
    }

    private static final class SimBatch {
        final String id;
        final boolean anthropic;
        final List<Item> items;
        final long createdAt = System.currentTimeMillis() / 1000;
        volatile String status = "in_progress";
        volatile boolean cancelInitiated;
        volatile int next;

        SimBatch(String id, boolean anthropic, List<Item> items) {
            this.id = id;
            this.anthropic = anthropic;
            this.items = items;
        }
    }

    private final Simulator simulator;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, SimBatch> batches = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private volatile Duration pace = Duration.ofMillis(5);
    private volatile Duration submitDelay = Duration.ZERO;

    SimulatedBatches(Simulator simulator) {
        this.simulator = simulator;
    }

    void route(Router router) {
        router.post("/v1/files").handler(this::upload);
        router.get("/v1/files/:id/content").handler(this::content);
        router.post("/v1/batches").handler(this::createOpenAi);
        router.get("/v1/batches/:id").handler(ctx -> reply(ctx, ctx.pathParam("id"), false));
        router.post("/v1/batches/:id/cancel").handler(ctx -> cancel(ctx, false));
        router.post("/v1/messages/batches").handler(this::createAnthropic);
        router.get("/v1/messages/batches/:id").handler(ctx -> reply(ctx, ctx.pathParam("id"), true));
        router.post("/v1/messages/batches/:id/cancel").handler(ctx -> cancel(ctx, true));
        router.get("/v1/messages/batches/:id/results").handler(this::anthropicResults);
    }

    void pace(Duration value) {
        pace = value;
    }

    void submitDelay(Duration value) {
        submitDelay = value;
    }

    /** How many batch requests have been answered, in all batches. */
    long answered() {
        return answered.get();
    }

    /** How many batches were submitted. */
    int submitted() {
        return batches.size();
    }

    private void upload(RoutingContext ctx) {
        FileUpload upload = ctx.fileUploads().stream().filter(u -> "file".equals(u.name())).findFirst().orElse(null);
        if (upload == null || !"batch".equals(ctx.request().getFormAttribute("purpose"))) {
            FaultResponses.error(ctx.response(), 400, "A 'file' with purpose 'batch' is required", "file", OpenAiDialect.INSTANCE);
            return;
        }
        try {
            byte[] content = Files.readAllBytes(Path.of(upload.uploadedFileName()));
            String id = "file-sim" + ids.incrementAndGet();
            files.put(id, content);
            json(ctx, JSON.createObjectNode().put("id", id).put("object", "file").put("bytes", content.length).put("purpose", "batch"));
        } catch (java.io.IOException e) {
            FaultResponses.error(ctx.response(), 500, "The upload could not be read", null, OpenAiDialect.INSTANCE);
        }
    }

    private void content(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        SimBatch batch = id.endsWith("-output") || id.endsWith("-errors") ? batches.get(id.substring(0, id.length() - 7)) : null;
        if (batch == null) {
            byte[] file = files.get(id);
            if (file == null) FaultResponses.error(ctx.response(), 404, "No such File object: " + id, null, OpenAiDialect.INSTANCE);
            else ctx.response().end(io.vertx.core.buffer.Buffer.buffer(file));
            return;
        }
        boolean output = id.endsWith("-output");
        StringBuilder lines = new StringBuilder();
        for (Item item : batch.items) {
            if (item.answer == null || (item.status == 200) != output) continue;
            ObjectNode line = JSON.createObjectNode().put("id", "batch_req_sim").put("custom_id", item.customId);
            ObjectNode response = line.putObject("response").put("status_code", item.status).put("request_id", "req_sim");
            response.set("body", item.answer);
            line.putNull("error");
            lines.append(line).append('\n');
        }
        ctx.response().end(lines.toString());
    }

    private void createOpenAi(RoutingContext ctx) {
        JsonNode body = simulator.parse(ctx, OpenAiDialect.INSTANCE);
        if (body == null) return;
        byte[] file = files.get(body.path("input_file_id").asText());
        if (file == null) {
            FaultResponses.error(ctx.response(), 400, "No such input file", "input_file_id", OpenAiDialect.INSTANCE);
            return;
        }
        List<Item> items = new ArrayList<>();
        try {
            for (String row : new String(file, StandardCharsets.UTF_8).split("\n")) {
                if (row.isBlank()) continue;
                JsonNode request = JSON.readTree(row);
                items.add(new Item(request.path("custom_id").asText(), OpenAiDialect.INSTANCE.toOpenAi(request.path("body"), ctx)));
            }
        } catch (java.io.IOException | IllegalArgumentException e) {
            FaultResponses.error(ctx.response(), 400, "The input file is not a batch: " + e.getMessage(), "input_file_id", OpenAiDialect.INSTANCE);
            return;
        }
        start(ctx, new SimBatch("batch_sim" + ids.incrementAndGet(), false, items));
    }

    private void createAnthropic(RoutingContext ctx) {
        JsonNode body = simulator.parse(ctx, AnthropicDialect.INSTANCE);
        if (body == null) return;
        List<Item> items = new ArrayList<>();
        try {
            for (JsonNode request : body.path("requests")) {
                if (!request.path("custom_id").asText().matches("[a-zA-Z0-9_-]{1,64}")) {
                    throw new IllegalArgumentException("requests.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'");
                }
                items.add(new Item(request.path("custom_id").asText(), AnthropicDialect.INSTANCE.toOpenAi(request.path("params"), ctx)));
            }
        } catch (IllegalArgumentException e) {
            FaultResponses.error(ctx.response(), 400, e.getMessage(), "requests", AnthropicDialect.INSTANCE);
            return;
        }
        if (items.isEmpty()) {
            FaultResponses.error(ctx.response(), 400, "'requests' must not be empty", "requests", AnthropicDialect.INSTANCE);
            return;
        }
        start(ctx, new SimBatch("msgbatch_sim" + ids.incrementAndGet(), true, items));
    }

    /** Answers the batch's creation after {@code submitDelay}, then works on it. */
    private void start(RoutingContext ctx, SimBatch batch) {
        received.incrementAndGet();
        simulator.after(submitDelay, () -> {
            batches.put(batch.id, batch);
            simulator.after(pace, () -> work(batch));
            json(ctx, object(batch));
        });
    }

    /** How many batch creations have come in, answered or not yet. */
    long received() {
        return received.get();
    }

    /** How many batches were cancelled by their client. */
    int cancelled() {
        return (int) batches.values().stream().filter(b -> b.cancelInitiated).count();
    }

    /** Answers the batch's next request, and comes back for the one after. */
    private void work(SimBatch batch) {
        if (!batch.status.equals("in_progress")) return;
        if (batch.next >= batch.items.size()) {
            batch.status = batch.anthropic ? "ended" : "completed";
            return;
        }
        Item item = batch.items.get(batch.next++);
        Dialect dialect = batch.anthropic ? AnthropicDialect.INSTANCE : OpenAiDialect.INSTANCE;
        JsonNode messages = item.openAiBody.path("messages");
        String last = SimulatedAnswer.text(messages.get(messages.size() - 1).path("content"));
        if (Fault.requestedIn(last).isPresent()) {
            item.answer = dialect.error(500, "The simulated upstream failed this request", null);
            item.status = 500;
        } else {
            SimulatedAnswer answer = SimulatedAnswer.of(item.openAiBody, answered.incrementAndGet());
            simulator.bill(answer.promptTokens(), answer.completionTokens());
            item.answer = dialect.completion(answer);
            item.status = 200;
        }
        simulator.after(pace, () -> work(batch));
    }

    private void cancel(RoutingContext ctx, boolean anthropic) {
        SimBatch batch = batches.get(ctx.pathParam("id"));
        if (batch == null || batch.anthropic != anthropic) {
            notFound(ctx, anthropic);
            return;
        }
        if (batch.status.equals("in_progress")) {
            batch.cancelInitiated = true;
            if (anthropic) {
                batch.status = "ended";
            } else {
                // as OpenAI does: cancelling for a moment, then cancelled
                batch.status = "cancelling";
                simulator.after(pace, () -> batch.status = "cancelled");
            }
        }
        json(ctx, object(batch));
    }

    private void reply(RoutingContext ctx, String id, boolean anthropic) {
        SimBatch batch = batches.get(id);
        if (batch == null || batch.anthropic != anthropic) notFound(ctx, anthropic);
        else json(ctx, object(batch));
    }

    private void anthropicResults(RoutingContext ctx) {
        SimBatch batch = batches.get(ctx.pathParam("id"));
        if (batch == null || !batch.anthropic || !batch.status.equals("ended")) {
            notFound(ctx, true);
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (Item item : batch.items) {
            ObjectNode line = JSON.createObjectNode().put("custom_id", item.customId);
            ObjectNode result = line.putObject("result");
            if (item.answer == null) result.put("type", "canceled");
            else if (item.status == 200) result.put("type", "succeeded").set("message", item.answer);
            else result.put("type", "errored").set("error", item.answer);
            lines.append(line).append('\n');
        }
        ctx.response().putHeader("content-type", "application/binary").end(lines.toString());
    }

    private static ObjectNode object(SimBatch b) {
        long done = b.items.stream().filter(i -> i.answer != null && i.status == 200).count();
        long failed = b.items.stream().filter(i -> i.answer != null && i.status != 200).count();
        ObjectNode node = JSON.createObjectNode().put("id", b.id).put("created_at", b.createdAt);
        if (b.anthropic) {
            node.put("type", "message_batch").put("processing_status", b.status);
            node.putObject("request_counts").put("processing", b.status.equals("ended") ? 0 : b.items.size() - done - failed).put("succeeded", done)
                    .put("errored", failed).put("canceled", b.status.equals("ended") ? b.items.size() - done - failed : 0).put("expired", 0);
            node.put("results_url", b.status.equals("ended") ? "/v1/messages/batches/" + b.id + "/results" : null);
            if (b.cancelInitiated) node.put("cancel_initiated_at", "2026-12-03T00:00:00Z");
            else node.putNull("cancel_initiated_at");
        } else {
            node.put("object", "batch").put("status", b.status).put("endpoint", "/v1/chat/completions");
            node.putObject("request_counts").put("total", b.items.size()).put("completed", done).put("failed", failed);
            boolean ended = !b.status.equals("in_progress") && !b.status.equals("cancelling");
            node.put("output_file_id", ended && done > 0 ? b.id + "-output" : null).put("error_file_id", ended && failed > 0 ? b.id + "-errors" : null);
        }
        return node;
    }

    private static void notFound(RoutingContext ctx, boolean anthropic) {
        FaultResponses.error(ctx.response(), 404, "No such batch", null, anthropic ? AnthropicDialect.INSTANCE : OpenAiDialect.INSTANCE);
    }

    private static void json(RoutingContext ctx, JsonNode body) {
        ctx.response().putHeader("content-type", "application/json").end(body.toString());
    }
}
