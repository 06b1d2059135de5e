package io.sluice.http.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.domain.Usage;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's metrics, under the OpenTelemetry GenAI semantic-convention names where they exist
 * ({@code gen_ai.client.operation.duration}, {@code gen_ai.client.token.usage}, with their recommended buckets),
 * and {@code http.server.requests} for every HTTP request. Thread-safe.
 *
 * <p>Each meter is built once per tag set and kept: building and registering one on every call (a builder, its tags
 * and a registry lookup) was 2.4% of the event loops' time at a thousand calls a second.
 */
final class GatewayMetrics {
    private static final Duration[] DURATION_BUCKETS = seconds(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12,
            10.24, 20.48, 40.96, 81.92);
    private static final Duration[] OVERHEAD_BUCKETS = seconds(0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1);
    private static final double[] TOKEN_BUCKETS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304};
    static final String OPERATION_DURATION = "gen_ai.client.operation.duration";
    static final String TOKEN_USAGE = "gen_ai.client.token.usage";
    static final String HTTP_REQUESTS = "http.server.requests";

    /** Distinct upstream-reported models and error codes a label takes before the rest are {@code _other}. */
    static final int MAX_LABEL_VALUES = 64;

    private final MeterRegistry registry;
    private final BoundedLabel responseModels = new BoundedLabel(MAX_LABEL_VALUES);
    private final BoundedLabel errorTypes = new BoundedLabel(MAX_LABEL_VALUES);
    private final java.util.Set<String> circuitGauges = ConcurrentHashMap.newKeySet();
    private final Map<Operation, Timer> operations = new ConcurrentHashMap<>();
    private final Map<Tokens, DistributionSummary> tokens = new ConcurrentHashMap<>();
    private final Map<HttpRequest, Timer> httpRequests = new ConcurrentHashMap<>();
    private final BoundedLabel owners = new BoundedLabel(MAX_LABEL_VALUES);
    /** What was billed, per model and owner, in nano-dollars: exact; only the scrape turns it into dollars. */
    private final Map<Spend, java.util.concurrent.atomic.LongAdder> spend = new ConcurrentHashMap<>();

    private record Spend(String model, String owner) {}

    private record Operation(String name, String requestModel, String responseModel, String errorType) {}

    private record Tokens(String operation, String type, String requestModel, String responseModel) {}
    /** OpenTelemetry's {@code gen_ai.operation.name} values. */
    static final String CHAT = "chat";
    static final String EMBEDDINGS = "embeddings";

    private record HttpRequest(String method, String route, int status) {}

    private final Counter shed;
    private final Timer answerOverhead;
    private final Timer firstChunkOverhead;

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.shed = Counter.builder("sluice.requests.shed")
                .description("Chat calls refused with 503 because the gateway's event loop was too far behind")
                .register(registry);
        this.answerOverhead = overheadTimer("answer", registry);
        this.firstChunkOverhead = overheadTimer("first_chunk", registry);
    }

    private static Timer overheadTimer(String until, MeterRegistry registry) {
        return Timer.builder("sluice.gateway.overhead")
                .description("The gateway's own time in a chat call, all but the upstream's: to the answer, or to a stream's first chunk")
                .tag("until", until)
                .serviceLevelObjectives(OVERHEAD_BUCKETS)
                .register(registry);
    }

    /** The gateway's own time in a call that answered: to its whole answer, or to a stream's first chunk. */
    void overhead(boolean firstChunk, long nanos) {
        (firstChunk ? firstChunkOverhead : answerOverhead).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A chat call refused by the load shedder. */
    void shed() {
        shed.increment();
    }

    /** One chat operation. {@code errorType} is null on success. */
    void operation(String requestModel, String responseModel, String errorType, long nanos) {
        operation(CHAT, requestModel, responseModel, errorType, nanos);
    }

    /** One operation named as OpenTelemetry names it ({@link #CHAT}, {@link #EMBEDDINGS}). {@code errorType} is null on success. */
    void operation(String name, String requestModel, String responseModel, String errorType, long nanos) {
        Operation key = new Operation(name, requestModel, orEmpty(responseModels.of(responseModel)), orEmpty(errorTypes.of(errorType)));
        operations.computeIfAbsent(key, k -> Timer.builder(OPERATION_DURATION)
                .description("Duration of GenAI operations through the gateway")
                .tag("gen_ai.operation.name", k.name())
                .tag("gen_ai.request.model", k.requestModel())
                .tag("gen_ai.response.model", k.responseModel())
                .tag("error.type", k.errorType())
                .serviceLevelObjectives(DURATION_BUCKETS)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    void tokens(String requestModel, String responseModel, Usage usage) {
        tokens(CHAT, requestModel, responseModel, usage);
    }

    void tokens(String operation, String requestModel, String responseModel, Usage usage) {
        responseModel = responseModels.of(responseModel);
        summary(operation, "input", requestModel, responseModel).record(usage.promptTokens());
        if (!operation.equals(EMBEDDINGS)) summary(operation, "output", requestModel, responseModel).record(usage.completionTokens());
    }

    /** What a call was billed ({@code sluice_cost_usd_total{model, owner}}). */
    void cost(String model, String owner, java.math.BigDecimal dollars) {
        if (dollars == null || dollars.signum() <= 0) return;
        spend.computeIfAbsent(new Spend(model, orEmpty(owners.of(owner))), k -> {
            java.util.concurrent.atomic.LongAdder nanos = new java.util.concurrent.atomic.LongAdder();
            io.micrometer.core.instrument.FunctionCounter.builder("sluice.cost", nanos, n -> n.sum() / 1e9)
                    .description("US dollars billed to the ledger, by model and owner (exact there; this is for graphs and alerts)")
                    .baseUnit("usd").tag("model", k.model()).tag("owner", k.owner()).register(registry);
            return nanos;
        }).add(dollars.movePointRight(io.sluice.domain.Prices.COST_SCALE).longValue());
    }

    void httpRequest(String method, String route, int status, long nanos) {
        httpRequests.computeIfAbsent(new HttpRequest(method, route, status), k -> Timer.builder(HTTP_REQUESTS)
                .tag("method", k.method())
                .tag("uri", k.route())
                .tag("status", Integer.toString(k.status()))
                .serviceLevelObjectives(DURATION_BUCKETS)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A gauge per circuit (0 closed, 1 half-open, 2 open), registered the first time a circuit is seen. */
    void circuits(io.sluice.ports.in.RouteHealth health) {
        for (String circuit : health.circuits().keySet()) {
            if (!circuitGauges.add(circuit)) continue;
            io.micrometer.core.instrument.Gauge.builder("sluice.circuit.state", health, h -> switch (h.circuits().getOrDefault(circuit, "closed")) {
                        case "open" -> 2;
                        case "half_open" -> 1;
                        default -> 0;
                    })
                    .description("Circuit state per model and endpoint: 0 closed, 1 half-open, 2 open")
                    .tag("circuit", circuit).register(registry);
        }
    }

    private DistributionSummary summary(String operation, String type, String requestModel, String responseModel) {
        return tokens.computeIfAbsent(new Tokens(operation, type, requestModel, orEmpty(responseModel)),
                k -> DistributionSummary.builder(TOKEN_USAGE)
                        .description("Tokens used by GenAI operations")
                        .baseUnit("tokens")
                        .tag("gen_ai.operation.name", k.operation())
                        .tag("gen_ai.token.type", k.type())
                        .tag("gen_ai.request.model", k.requestModel())
                        .tag("gen_ai.response.model", k.responseModel())
                        .serviceLevelObjectives(TOKEN_BUCKETS)
                        .register(registry));
    }

    /** A tag's value must not be null: an absent one is the empty string. */
    private static String orEmpty(String tag) {
        return tag == null ? "" : tag;
    }

    private static Duration[] seconds(double... values) {
        Duration[] d = new Duration[values.length];
        for (int i = 0; i < values.length; i++) d[i] = Duration.ofNanos((long) (values[i] * 1e9));
        return d;
    }
}
