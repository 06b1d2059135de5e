package io.sluice.testkit.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.api.Encoding;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible upstream for tests and benchmarks: {@code POST /v1/chat/completions} (plain and SSE, with
 * usage and tool calls), {@code GET /v1/models} and {@code POST /v1/embeddings}. Answers are deterministic
 * ({@link Replies}); latency and faults follow its {@link SimulatorConfig}, and a request can ask for a fault with
 * a {@code [sim:...]} directive in its last message ({@link Fault}). It counts what it served
 * ({@link #stats()}) and keeps the last {@value #RECENT_REQUESTS} request bodies ({@link #recentRequests()}).
 * Thread-safe.
 */
public final class Simulator implements AutoCloseable {
    public static final int RECENT_REQUESTS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final boolean ownsVertx;
    private volatile SimulatorConfig config;
    private volatile Random dice;
    private HttpServer server;

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong promptTokens = new AtomicLong();
    private final AtomicLong completionTokens = new AtomicLong();
    private final Map<Fault, AtomicLong> faults = new ConcurrentHashMap<>();
    private final ArrayDeque<JsonNode> recent = new ArrayDeque<>();
    private final Map<String, long[]> rpmWindows = new ConcurrentHashMap<>();
    private final Map<String, java.util.List<Long>> keyTimes = new ConcurrentHashMap<>();

    public Simulator(SimulatorConfig config) {
        this(Vertx.vertx(), true, config);
    }

    public Simulator(Vertx vertx, SimulatorConfig config) {
        this(vertx, false, config);
    }

    private Simulator(Vertx vertx, boolean ownsVertx, SimulatorConfig config) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        configure(config);
    }

    /** Starts listening on 127.0.0.1; port 0 picks a free one. Returns the port. */
    public int start(int port) {
        return start("127.0.0.1", port);
    }

    public int start(String host, int port) {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create().setBodyLimit(32L * 1024 * 1024));
        router.post("/v1/chat/completions").handler(this::chat);
        router.get("/v1/models").handler(this::models);
        router.post("/v1/embeddings").handler(this::embeddings);
        server = join(vertx.createHttpServer().requestHandler(router).listen(port, host));
        return server.actualPort();
    }

    public int port() {
        return server.actualPort();
    }

    /** The base URL an OpenAI client uses, ending in {@code /v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    public void configure(SimulatorConfig value) {
        this.config = value;
        this.dice = new Random(value.seed());
    }

    public SimulatorConfig config() {
        return config;
    }

    public SimulatorStats stats() {
        Map<Fault, Long> counts = new EnumMap<>(Fault.class);
        faults.forEach((f, n) -> counts.put(f, n.get()));
        return new SimulatorStats(requests.get(), served.get(), promptTokens.get(), completionTokens.get(), counts);
    }

    /** When each chat request on an upstream key arrived (epoch millis), oldest first. */
    public java.util.List<Long> requestTimes(String key) {
        java.util.List<Long> times = keyTimes.get(key);
        if (times == null) return java.util.List.of();
        synchronized (times) {
            return java.util.List.copyOf(times);
        }
    }

    private static String keyOf(RoutingContext ctx) {
        String auth = ctx.request().getHeader("authorization");
        return auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
    }

    /** The most recent chat request bodies, oldest first. */
    public List<JsonNode> recentRequests() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    /** Forgets counts, recent requests and rate-limit windows. */
    public void reset() {
        requests.set(0);
        served.set(0);
        promptTokens.set(0);
        completionTokens.set(0);
        faults.clear();
        rpmWindows.clear();
        keyTimes.clear();
        synchronized (recent) {
            recent.clear();
        }
    }

    @Override
    public void close() {
        if (server != null) join(server.close());
        if (ownsVertx) join(vertx.close());
    }

    private void chat(RoutingContext ctx) {
        requests.incrementAndGet();
        JsonNode body = parse(ctx);
        if (body == null) return;
        remember(body);
        SimulatorConfig cfg = config;
        String key = keyOf(ctx);
        keyTimes.computeIfAbsent(key, k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(System.currentTimeMillis());
        if (overRpm(ctx, cfg)) return;
        JsonNode messages = body.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            error(ctx.response(), 400, "invalid_request_error", "'messages' must be a non-empty array", "messages");
            return;
        }
        String lastContent = text(messages.get(messages.size() - 1).path("content"));
        Fault fault = cfg.keyFaults().containsKey(key) ? cfg.keyFaults().get(key) : Fault.requestedIn(lastContent).orElseGet(() -> roll(cfg));
        if (fault != null && fault != Fault.STREAM_CUT) {
            faults.computeIfAbsent(fault, f -> new AtomicLong()).incrementAndGet();
            inject(ctx, fault, cfg);
            return;
        }
        Answer answer = answer(body);
        boolean stream = body.path("stream").asBoolean(false);
        if (stream) {
            boolean cut = fault == Fault.STREAM_CUT;
            if (cut) faults.computeIfAbsent(fault, f -> new AtomicLong()).incrementAndGet();
            after(cfg.timeToFirstChunk(), () -> new StreamWriter(ctx.response(), answer, body, cut, cfg.chunkDelay()).start());
        } else {
            after(cfg.latency(), () -> {
                bill(answer.promptTokens, answer.completionTokens);
                served.incrementAndGet();
                ctx.response().putHeader("content-type", "application/json").end(answer.completion().toString());
            });
        }
    }

    private Fault roll(SimulatorConfig cfg) {
        if (cfg.faultRates().isEmpty()) return null;
        double r;
        synchronized (this) {
            r = dice.nextDouble();
        }
        for (Map.Entry<Fault, Double> e : cfg.faultRates().entrySet()) {
            r -= e.getValue();
            if (r < 0) return e.getKey();
        }
        return null;
    }

    private void inject(RoutingContext ctx, Fault fault, SimulatorConfig cfg) {
        HttpServerResponse response = ctx.response();
        switch (fault) {
            case RATE_LIMIT -> rateLimited(response, cfg.retryAfter(), Math.max(cfg.rpmPerKey(), 1), 0);
            case SERVER_ERROR -> error(response, 500, "server_error", "The server had an error while processing your request.", null);
            case BAD_GATEWAY -> error(response, 502, "server_error", "Bad gateway.", null);
            case UNAVAILABLE -> {
                response.putHeader("retry-after", Long.toString(cfg.retryAfter().toSeconds()));
                error(response, 503, "server_error", "The engine is currently overloaded, please try again later.", null);
            }
            case BAD_REQUEST -> error(response, 400, "invalid_request_error", "Invalid 'messages': simulated bad request.", "messages");
            case UNAUTHORIZED -> error(response, 401, "invalid_request_error", "Incorrect API key provided.", null);
            case HANG -> { } // never answer: the client's timeout must fire
            case RESET -> ctx.request().connection().close();
            case STREAM_CUT -> throw new IllegalStateException("a stream cut is injected while streaming");
        }
    }

    private boolean overRpm(RoutingContext ctx, SimulatorConfig cfg) {
        if (cfg.rpmPerKey() <= 0) return false;
        String key = String.valueOf(ctx.request().getHeader("authorization"));
        long now = System.currentTimeMillis();
        long[] window = rpmWindows.computeIfAbsent(key, k -> new long[]{now, 0});
        synchronized (window) {
            if (now - window[0] >= 60_000) {
                window[0] = now;
                window[1] = 0;
            }
            if (window[1] < cfg.rpmPerKey()) {
                window[1]++;
                return false;
            }
            faults.computeIfAbsent(Fault.RATE_LIMIT, f -> new AtomicLong()).incrementAndGet();
            rateLimited(ctx.response(), Duration.ofMillis(60_000 - (now - window[0])), cfg.rpmPerKey(), 0);
            return true;
        }
    }

    private static void rateLimited(HttpServerResponse response, Duration retryAfter, int limit, int remaining) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        response.putHeader("retry-after", Long.toString(seconds))
                .putHeader("x-ratelimit-limit-requests", Integer.toString(limit))
                .putHeader("x-ratelimit-remaining-requests", Integer.toString(remaining))
                .putHeader("x-ratelimit-reset-requests", seconds + "s");
        error(response, 429, "requests", "Rate limit reached for requests. Please try again in " + seconds + "s.", null);
    }

    private static void error(HttpServerResponse response, int status, String type, String message, String param) {
        ObjectNode error = JSON.createObjectNode();
        ObjectNode inner = error.putObject("error");
        inner.put("message", message).put("type", type);
        inner.put("param", param);
        inner.put("code", status == 429 ? "rate_limit_exceeded" : null);
        response.setStatusCode(status).putHeader("content-type", "application/json").end(error.toString());
    }

    /** The deterministic answer to a chat request. */
    record Answer(String id, String model, long created, String text, ObjectNode toolCall, int promptTokens,
                  int completionTokens, List<String> pieces) {
        ObjectNode completion() {
            ObjectNode root = header("chat.completion");
            ObjectNode choice = root.putArray("choices").addObject();
            choice.put("index", 0);
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
            root.set("usage", usage(completionTokens));
            return root;
        }

        String finishReason() {
            if (toolCall != null) return "tool_calls";
            return Replies.isTruncated(text) ? "length" : "stop";
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
    }

    private Answer answer(JsonNode body) {
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
        String id = "chatcmpl-sim" + Integer.toHexString(String.join("|", contents).hashCode()) + Long.toHexString(requests.get());
        long created = System.currentTimeMillis() / 1000;
        ObjectNode toolCall = toolCall(body, contents);
        if (toolCall != null) {
            JsonNode fn = toolCall.path("function");
            int completion = Replies.count(fn.path("name").asText(), encoding) + Replies.count(fn.path("arguments").asText(), encoding);
            return new Answer(id, model, created, null, toolCall, prompt, completion, List.of());
        }
        String text = Replies.text(contents, maxTokens, encoding);
        return new Answer(id, model, created, text, null, prompt, Replies.count(text, encoding), Replies.pieces(text));
    }

    /** Calls a tool when tools are offered, the choice allows it, and the last message is the user's. */
    private static ObjectNode toolCall(JsonNode body, List<String> contents) {
        JsonNode tools = body.path("tools");
        JsonNode choice = body.path("tool_choice");
        JsonNode messages = body.path("messages");
        boolean userSpokeLast = "user".equals(messages.get(messages.size() - 1).path("role").asText());
        if (!tools.isArray() || tools.isEmpty() || "none".equals(choice.asText()) || !userSpokeLast) return null;
        String name = choice.path("function").path("name").asText(tools.get(0).path("function").path("name").asText());
        ObjectNode call = JSON.createObjectNode();
        call.put("id", "call_" + Integer.toHexString(contents.getLast().hashCode() & 0x7fffffff));
        call.put("type", "function");
        ObjectNode args = JSON.createObjectNode().put("query", contents.getLast());
        call.putObject("function").put("name", name).put("arguments", args.toString());
        return call;
    }

    private final class StreamWriter {
        private final HttpServerResponse response;
        private final Answer answer;
        private final boolean includeUsage;
        private final boolean cut;
        private final Duration delay;
        private final List<ObjectNode> chunks = new ArrayList<>();
        private int next;
        private int sentPieces;

        StreamWriter(HttpServerResponse response, Answer answer, JsonNode request, boolean cut, Duration delay) {
            this.response = response;
            this.answer = answer;
            this.includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
            this.cut = cut;
            this.delay = delay;
            chunks.add(delta(d -> d.put("role", "assistant").put("content", answer.toolCall == null ? "" : null), null));
            if (answer.toolCall != null) {
                chunks.add(delta(d -> {
                    ObjectNode call = d.putArray("tool_calls").addObject();
                    call.put("index", 0).put("id", answer.toolCall.path("id").asText()).put("type", "function");
                    call.putObject("function").put("name", answer.toolCall.path("function").path("name").asText())
                            .put("arguments", answer.toolCall.path("function").path("arguments").asText());
                }, null));
            }
            for (String piece : answer.pieces) chunks.add(delta(d -> d.put("content", piece), null));
            chunks.add(delta(d -> { }, answer.finishReason()));
        }

        void start() {
            response.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8")
                    .putHeader("cache-control", "no-cache");
            writeNext();
        }

        private void writeNext() {
            if (cut && next >= Math.max(1, chunks.size() / 2)) {
                bill(answer.promptTokens, partialCompletionTokens());
                response.reset();
                return;
            }
            if (next < chunks.size()) {
                ObjectNode chunk = chunks.get(next++);
                if (chunk.path("choices").path(0).path("delta").has("content") && next > 1) sentPieces++;
                response.write("data: " + chunk + "\n\n");
                after(next == 1 ? Duration.ZERO : delay, this::writeNext);
                return;
            }
            if (includeUsage) {
                ObjectNode usage = answer.header("chat.completion.chunk");
                usage.putArray("choices");
                usage.set("usage", answer.usage(answer.completionTokens));
                response.write("data: " + usage + "\n\n");
            }
            bill(answer.promptTokens, answer.completionTokens);
            served.incrementAndGet();
            response.end("data: [DONE]\n\n");
        }

        private int partialCompletionTokens() {
            Encoding encoding = Replies.encodingFor(answer.model);
            return Replies.count(String.join("", answer.pieces.subList(0, Math.min(sentPieces, answer.pieces.size()))), encoding);
        }

        private ObjectNode delta(java.util.function.Consumer<ObjectNode> fill, String finishReason) {
            ObjectNode chunk = answer.header("chat.completion.chunk");
            ObjectNode choice = chunk.putArray("choices").addObject();
            choice.put("index", 0);
            fill.accept(choice.putObject("delta"));
            choice.putNull("logprobs");
            choice.put("finish_reason", finishReason);
            return chunk;
        }
    }

    private void models(RoutingContext ctx) {
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (String model : config.models()) {
            data.addObject().put("id", model).put("object", "model").put("created", 1_700_000_000L).put("owned_by", "sluice-simulator");
        }
        ctx.response().putHeader("content-type", "application/json").end(root.toString());
    }

    /** Deterministic vectors: a hashed bag of words, L2-normalised, so equal texts embed equally. */
    private void embeddings(RoutingContext ctx) {
        requests.incrementAndGet();
        JsonNode body = parse(ctx);
        if (body == null) return;
        JsonNode input = body.path("input");
        List<String> texts = new ArrayList<>();
        if (input.isTextual()) texts.add(input.asText());
        else input.forEach(n -> texts.add(n.asText()));
        if (texts.isEmpty()) {
            error(ctx.response(), 400, "invalid_request_error", "'input' must not be empty", "input");
            return;
        }
        int dims = body.path("dimensions").asInt(64);
        String model = body.path("model").asText("text-embedding-3-small");
        Encoding encoding = Replies.encodingFor(model);
        ObjectNode root = JSON.createObjectNode().put("object", "list").put("model", model);
        ArrayNode data = root.putArray("data");
        int tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            tokens += Replies.count(texts.get(i), encoding);
            ArrayNode vector = data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
            for (float v : embed(texts.get(i), dims)) vector.add(v);
        }
        root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        bill(tokens, 0);
        served.incrementAndGet();
        ctx.response().putHeader("content-type", "application/json").end(root.toString());
    }

    static float[] embed(String text, int dims) {
        float[] v = new float[dims];
        for (String word : text.toLowerCase(java.util.Locale.ROOT).split("\\W+")) {
            if (!word.isEmpty()) v[Math.floorMod(word.hashCode(), dims)] += 1;
        }
        double norm = 0;
        for (float x : v) norm += x * x;
        if (norm > 0) for (int i = 0; i < dims; i++) v[i] = (float) (v[i] / Math.sqrt(norm));
        return v;
    }

    private JsonNode parse(RoutingContext ctx) {
        try {
            return JSON.readTree(ctx.body().buffer().getBytes());
        } catch (IOException | NullPointerException e) {
            error(ctx.response(), 400, "invalid_request_error", "We could not parse the JSON body of your request.", null);
            return null;
        }
    }

    private void remember(JsonNode body) {
        synchronized (recent) {
            if (recent.size() == RECENT_REQUESTS) recent.removeFirst();
            recent.addLast(body);
        }
    }

    private void bill(int prompt, int completion) {
        promptTokens.addAndGet(prompt);
        completionTokens.addAndGet(completion);
    }

    private void after(Duration delay, Runnable action) {
        if (delay.isZero() || delay.isNegative()) action.run();
        else vertx.setTimer(delay.toMillis(), id -> action.run());
    }

    /** The text of a message's content: a string, or the text parts of an array of parts. */
    static String text(JsonNode content) {
        if (content.isTextual()) return content.asText();
        if (!content.isArray()) return "";
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) if ("text".equals(part.path("type").asText())) text.append(part.path("text").asText());
        return text.toString();
    }

    private static <T> T join(io.vertx.core.Future<T> future) {
        return future.toCompletionStage().toCompletableFuture().join();
    }
}
