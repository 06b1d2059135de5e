package io.sluice.testkit.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An upstream for tests and benchmarks that speaks OpenAI ({@code POST /v1/chat/completions}, plain and SSE, with
 * usage and tool calls; {@code GET /v1/models}; {@code POST /v1/embeddings}), Anthropic ({@code POST /v1/messages})
 * and Gemini ({@code POST /v1beta/models/{model}:generateContent}, {@code :streamGenerateContent} and
 * {@code :batchEmbedContents}), each in its own shapes ({@link Dialect}). Answers are deterministic
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

    final AtomicLong requests = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final Map<HttpVersion, AtomicLong> requestsByVersion = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger plainInFlight = new java.util.concurrent.atomic.AtomicInteger();
    private volatile int concurrencyKnee;
    final AtomicLong served = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();
    private final SimulatedEmbeddings embeddings = new SimulatedEmbeddings(this);
    private final SimulatedBatches batches = new SimulatedBatches(this);
    private final AtomicLong promptTokens = new AtomicLong();
    private final AtomicLong completionTokens = new AtomicLong();
    private final Map<Fault, AtomicLong> faults = new ConcurrentHashMap<>();
    private final ArrayDeque<JsonNode> recent = new ArrayDeque<>();
    private final ArrayDeque<String> traceparents = new ArrayDeque<>();
    private volatile boolean collapse;
    private final AtomicLong requestIds = new AtomicLong();
    private final Map<String, long[]> rpmWindows = new ConcurrentHashMap<>();
    /** The last {@value #RECENT_TIMES} arrival times per key: kept whole, a long benchmark run grew its heap without end. */
    private final Map<String, ArrayDeque<Long>> keyTimes = new ConcurrentHashMap<>();
    private static final int RECENT_TIMES = 1_000;

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
        router.route().handler(ctx -> {
            requestsByVersion.computeIfAbsent(ctx.request().version(), v -> new AtomicLong()).incrementAndGet();
            // as OpenAI does on every answer: the id its support asks for
            ctx.response().putHeader("x-request-id", "req_sim_" + requestIds.incrementAndGet());
            ctx.next();
        });
        router.route().handler(BodyHandler.create().setBodyLimit(32L * 1024 * 1024).setDeleteUploadedFilesOnEnd(true)
                .setUploadsDirectory(System.getProperty("java.io.tmpdir") + "/sluice-simulator-uploads"));
        router.post("/v1/chat/completions").handler(ctx -> chat(ctx, OpenAiDialect.INSTANCE));
        router.post("/v1/messages").handler(ctx -> chat(ctx, AnthropicDialect.INSTANCE));
        router.postWithRegex("/v1beta/models/[^/:]+:(generateContent|streamGenerateContent)").handler(ctx -> chat(ctx, GeminiDialect.INSTANCE));
        router.get("/v1/models").handler(this::models);
        router.post("/v1/embeddings").handler(embeddings::openAi);
        router.postWithRegex("/v1beta/models/[^/:]+:batchEmbedContents").handler(embeddings::gemini);
        batches.route(router);
        // HTTP/2 in clear text (prior knowledge or upgrade) too, at most 100 streams a connection as the server's default
        server = join(vertx.createHttpServer().connectionHandler(c -> connections.incrementAndGet()).requestHandler(router).listen(port, host));
        return server.actualPort();
    }

    public int port() {
        return server.actualPort();
    }

    /** The base URL an OpenAI client uses, ending in {@code /v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /** The base URL a Gemini client uses, ending in {@code /v1beta}. */
    public String geminiBaseUrl() {
        return "http://127.0.0.1:" + port() + "/v1beta";
    }

    public void configure(SimulatorConfig value) {
        this.config = value;
        this.dice = new Random(value.seed());
    }

    /**
     * Models an upstream that saturates: past {@code knee} plain answers in flight, each takes its latency times
     * in-flight / knee, so throughput stops growing while latency does. 0 turns it off.
     */
    public void saturateAbove(int knee) {
        this.concurrencyKnee = knee;
        this.collapse = false;
    }

    /**
     * Models an upstream that collapses when overloaded: past {@code knee} plain answers in flight, each takes its
     * latency times (in-flight / knee)², so throughput falls as load grows: twice the knee serves half as many calls.
     * A knee no noise in the measurement can move.
     */
    public void collapseAbove(int knee) {
        this.concurrencyKnee = knee;
        this.collapse = true;
    }

    public SimulatorConfig config() {
        return config;
    }

    public SimulatorStats stats() {
        Map<Fault, Long> counts = new EnumMap<>(Fault.class);
        faults.forEach((f, n) -> counts.put(f, n.get()));
        return new SimulatorStats(requests.get(), served.get(), promptTokens.get(), completionTokens.get(), counts);
    }

    /** How many chat requests their client called off (reset, or closed the connection) before the answer was whole. */
    public long abandoned() {
        return abandoned.get();
    }

    /** How long each request of a batch (either batch API) takes: they are answered one after another. */
    public void batchPace(Duration pace) {
        batches.pace(pace);
    }

    /** How long creating a batch (either batch API) takes before it is answered. */
    public void batchSubmitDelay(Duration delay) {
        batches.submitDelay(delay);
    }

    /** How many batch creations (either batch API) have come in, including those not answered yet. */
    public long batchSubmissionsReceived() {
        return batches.received();
    }

    /** How many batches (either batch API) their client cancelled. */
    public int batchesCancelled() {
        return batches.cancelled();
    }

    /** How many requests of batches (either batch API) it has answered. */
    public long batchRequestsAnswered() {
        return batches.answered();
    }

    /** How many batches (either batch API) were submitted to it. */
    public int batchesSubmitted() {
        return batches.submitted();
    }

    /** How many connections clients have opened to it. */
    public long connectionsOpened() {
        return connections.get();
    }

    /** How many requests of any path came in this HTTP version. */
    public long requests(HttpVersion version) {
        AtomicLong n = requestsByVersion.get(version);
        return n == null ? 0 : n.get();
    }

    /** When each of the last thousand chat requests on an upstream key arrived (epoch millis), oldest first. */
    public java.util.List<Long> requestTimes(String key) {
        ArrayDeque<Long> times = keyTimes.get(key);
        if (times == null) return java.util.List.of();
        synchronized (times) {
            return java.util.List.copyOf(times);
        }
    }

    /** The most recent chat request bodies, oldest first. */
    public List<JsonNode> recentRequests() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    /** The W3C {@code traceparent} headers of the most recent chat requests that carried one, oldest first. */
    public List<String> recentTraceparents() {
        synchronized (traceparents) {
            return new ArrayList<>(traceparents);
        }
    }

    /** Forgets counts, recent requests and rate-limit windows. */
    public void reset() {
        requests.set(0);
        connections.set(0);
        requestsByVersion.clear();
        served.set(0);
        abandoned.set(0);
        promptTokens.set(0);
        completionTokens.set(0);
        faults.clear();
        rpmWindows.clear();
        keyTimes.clear();
        synchronized (traceparents) {
            traceparents.clear();
        }
        synchronized (recent) {
            recent.clear();
        }
    }

    @Override
    public void close() {
        if (server != null) join(server.close());
        if (ownsVertx) join(vertx.close());
    }

    /** A chat call in any dialect: the same faults, limits, counting and answers; only the shapes differ. */
    private void chat(RoutingContext ctx, Dialect dialect) {
        requests.incrementAndGet();
        JsonNode raw = parse(ctx, dialect);
        if (raw == null) return;
        ObjectNode body;
        try {
            body = dialect.toOpenAi(raw, ctx);
        } catch (IllegalArgumentException e) {
            FaultResponses.error(ctx.response(), 400, e.getMessage(), "messages", dialect);
            return;
        }
        remember(raw);
        String traceparent = ctx.request().getHeader("traceparent");
        if (traceparent != null) keepLast(traceparents, traceparent, RECENT_REQUESTS);
        ctx.response().closeHandler(v -> {
            if (!ctx.response().ended()) abandoned.incrementAndGet();
        });
        SimulatorConfig cfg = config;
        String key = dialect.keyOf(ctx);
        keepLast(keyTimes.computeIfAbsent(key, k -> new ArrayDeque<>()), System.currentTimeMillis(), RECENT_TIMES);
        if (overRpm(ctx, key, cfg, dialect)) return;
        JsonNode messages = body.path("messages");
        String lastContent = SimulatedAnswer.text(messages.get(messages.size() - 1).path("content"));
        Fault fault = cfg.keyFaults().containsKey(key) ? cfg.keyFaults().get(key) : Fault.requestedIn(lastContent).orElseGet(() -> roll(cfg));
        if (fault != null && fault != Fault.STREAM_CUT) {
            faults.computeIfAbsent(fault, f -> new AtomicLong()).incrementAndGet();
            FaultResponses.inject(ctx, fault, cfg, dialect);
            return;
        }
        SimulatedAnswer answer = SimulatedAnswer.of(body, requests.get());
        if (dialect.streams(raw, ctx)) {
            boolean cut = fault == Fault.STREAM_CUT;
            if (cut) faults.computeIfAbsent(fault, f -> new AtomicLong()).incrementAndGet();
            after(cfg.timeToFirstChunk(), () -> new SimulatedStream(this, ctx.response(), answer, dialect.frames(answer, body), dialect.end(),
                    cut, cfg.chunkDelay()).start());
        } else {
            int inFlight = plainInFlight.incrementAndGet();
            int knee = concurrencyKnee;
            Duration latency = knee <= 0 || inFlight <= knee ? cfg.latency()
                    : collapse ? cfg.latency().multipliedBy((long) inFlight * inFlight).dividedBy((long) knee * knee)
                    : cfg.latency().multipliedBy(inFlight).dividedBy(knee);
            after(latency, () -> {
                plainInFlight.decrementAndGet();
                if (ctx.response().closed()) return; // the client called it off: nothing was generated past that
                bill(answer.promptTokens(), answer.completionTokens());
                served.incrementAndGet();
                ctx.response().putHeader("content-type", "application/json").end(dialect.completion(answer).toString());
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

    private boolean overRpm(RoutingContext ctx, String key, SimulatorConfig cfg, Dialect dialect) {
        if (cfg.rpmPerKey() <= 0) return false;
        long now = System.currentTimeMillis();
        long[] window = rpmWindows.computeIfAbsent(key, k -> new long[]{now, 0});
        synchronized (window) {
            if (now - window[0] >= 60_000) {
                window[0] = now;
                window[1] = 0;
            }
            if (window[1] < cfg.rpmPerKey()) {
                window[1]++;
                // as OpenAI and Anthropic do, every answer says what is left of the key's limit
                FaultResponses.quota(ctx.response(), cfg.rpmPerKey(), (int) (cfg.rpmPerKey() - window[1]),
                        Duration.ofMillis(60_000 - (now - window[0])), dialect);
                return false;
            }
            faults.computeIfAbsent(Fault.RATE_LIMIT, f -> new AtomicLong()).incrementAndGet();
            FaultResponses.rateLimited(ctx.response(), Duration.ofMillis(60_000 - (now - window[0])), cfg.rpmPerKey(), 0, dialect);
            return true;
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

    /** A fault asked for by the key or by a directive in any input, injected as in a chat call; whether one was. */
    boolean injectedFault(RoutingContext ctx, List<String> texts, Dialect dialect) {
        SimulatorConfig cfg = config;
        String key = dialect.keyOf(ctx);
        Fault fault = cfg.keyFaults().containsKey(key) ? cfg.keyFaults().get(key)
                : texts.stream().map(Fault::requestedIn).flatMap(Optional::stream).findFirst().orElse(null);
        if (fault == null || fault == Fault.STREAM_CUT) return false;
        faults.computeIfAbsent(fault, f -> new AtomicLong()).incrementAndGet();
        FaultResponses.inject(ctx, fault, cfg, dialect);
        return true;
    }

    JsonNode parse(RoutingContext ctx, Dialect dialect) {
        try {
            return JSON.readTree(ctx.body().buffer().getBytes());
        } catch (IOException | NullPointerException e) {
            FaultResponses.error(ctx.response(), 400, "We could not parse the JSON body of your request.", null, dialect);
            return null;
        }
    }

    void remember(JsonNode body) {
        keepLast(recent, body, RECENT_REQUESTS);
    }

    /** Adds {@code value}, dropping the oldest once {@code limit} are kept; the deque is its own lock. */
    private static <T> void keepLast(ArrayDeque<T> deque, T value, int limit) {
        synchronized (deque) {
            if (deque.size() == limit) deque.removeFirst();
            deque.addLast(value);
        }
    }

    void bill(int prompt, int completion) {
        promptTokens.addAndGet(prompt);
        completionTokens.addAndGet(completion);
    }

    void served() {
        served.incrementAndGet();
    }

    void after(Duration delay, Runnable action) {
        if (delay.isZero() || delay.isNegative()) action.run();
        else vertx.setTimer(delay.toMillis(), id -> action.run());
    }

    private static <T> T join(io.vertx.core.Future<T> future) {
        return future.toCompletionStage().toCompletableFuture().join();
    }
}
