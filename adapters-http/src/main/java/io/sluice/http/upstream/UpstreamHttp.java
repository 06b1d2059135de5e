package io.sluice.http.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.domain.ChatChunk;
import io.sluice.domain.error.UpstreamUnavailableException;
import io.sluice.ports.out.ProviderEnvironment;
import io.sluice.ports.out.ProviderSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.Flow;
import java.util.function.Function;

/**
 * JSON over pooled HTTP connections to one upstream, for provider adapters: a POST answered with one JSON body, or
 * with a server-sent event stream. Every failure comes out mapped by {@link UpstreamErrors}. {@code timeout} (from
 * the provider's settings) is an idle timeout: how long the upstream may stay silent; a call's connect timeout also
 * bounds its wait for a pooled connection. Thread-safe.
 */
public final class UpstreamHttp implements AutoCloseable {
    /** Opening a connection is never allowed to take the whole call's time. */
    public static final int MAX_CONNECT_TIMEOUT_MS = 10_000;

    private final Vertx vertx;
    private final LoopLocalClients http;
    private final ObjectMapper json;
    private final Duration idleTimeout;
    /** What the upstream's last answer for each model said is left of this client's key's limits for it. */
    private final java.util.Map<String, io.sluice.ports.out.UpstreamQuota> quotas = new java.util.concurrent.ConcurrentHashMap<>();

    private UpstreamHttp(Vertx vertx, LoopLocalClients http, ObjectMapper json, Duration idleTimeout) {
        this.vertx = vertx;
        this.http = http;
        this.json = json;
        this.idleTimeout = idleTimeout;
    }

    /**
     * A client for a provider's settings, on the host's Vert.x and ObjectMapper when the environment offers them. Each
     * event-loop thread that calls gets a pool of its own ({@link LoopLocalClients}) with its share of
     * {@code maxConnections}, split evenly among the gateway's listener threads (one a core) and rounded up; callers
     * off the loops (batches, plugins' own threads) share a pool of the whole {@code maxConnections}.
     */
    public static UpstreamHttp create(ProviderSettings settings, ProviderEnvironment environment) {
        Vertx vertx = environment.lookup(Vertx.class).orElseGet(Vertx::vertx);
        HttpClientOptions client = new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) Math.min(settings.timeout().toMillis(), MAX_CONNECT_TIMEOUT_MS));
        if (settings.httpVersion() == ProviderSettings.HttpVersion.HTTP_2) {
            client.setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true).setHttp2ClearTextUpgrade(false);
        }
        int eachLoop = eachLoop(settings.maxConnections(), Runtime.getRuntime().availableProcessors());
        PoolOptions loopPool = new PoolOptions().setHttp1MaxSize(eachLoop).setHttp2MaxSize(eachLoop);
        PoolOptions sharedPool = new PoolOptions().setHttp1MaxSize(settings.maxConnections()).setHttp2MaxSize(settings.maxConnections());
        ObjectMapper mapper = environment.lookup(ObjectMapper.class).orElseGet(ObjectMapper::new);
        return new UpstreamHttp(vertx, new LoopLocalClients(vertx, vertx.createHttpClient(client, sharedPool),
                () -> vertx.createHttpClient(client, loopPool)), mapper, settings.timeout());
    }

    /** A loop's share of {@code maxConnections} among {@code loops} listener loops: rounded up, so never none. */
    static int eachLoop(int maxConnections, int loops) {
        return (maxConnections + loops - 1) / loops;
    }

    /** What the upstream's last answer for {@code model} said is left of this client's key's limits for it. */
    public io.sluice.ports.out.UpstreamQuota quota(String model) {
        return model == null ? io.sluice.ports.out.UpstreamQuota.UNKNOWN : quotas.getOrDefault(model, io.sluice.ports.out.UpstreamQuota.UNKNOWN);
    }

    /** Keeps what an answer's head for {@code model} says of the key's limits, when it says anything. */
    void observe(io.vertx.core.MultiMap headers, String model) {
        if (model == null) return;
        io.sluice.ports.out.UpstreamQuota said = UpstreamQuotas.read(headers, System.nanoTime(), java.time.Instant.now());
        // bounded: a key serves the few models configured for it
        if (said.known() && (quotas.size() < 1_000 || quotas.containsKey(model))) quotas.put(model, said);
    }

    public ObjectMapper json() {
        return json;
    }

    /** Writes a request body in an upstream's API; may fail on what that API cannot take (e.g. tool arguments that are not JSON). */
    @FunctionalInterface
    public interface Body {
        byte[] write() throws Exception;
    }

    /** The body, or the caller's error when the request cannot be put in this upstream's terms. */
    private static byte[] written(Body body) {
        try {
            return body.write();
        } catch (io.sluice.domain.error.SluiceException e) {
            throw e;
        } catch (Exception e) {
            throw new io.sluice.domain.error.InvalidRequestException(
                    "The request cannot be sent to this upstream: tool parameters and tool-call arguments must be JSON objects", "tools");
        }
    }

    /**
     * POSTs {@code body} and reads a 200 answer with {@code read}; any other status is mapped to the gateway's
     * exceptions, and an answer {@code read} cannot take is a malformed response.
     *
     * @param connectTimeout null for the client's own
     */
    public <T> CompletionStage<T> post(String url, Map<String, String> headers, Body body, Duration connectTimeout,
                                       Function<JsonNode, T> read) {
        return exchange(null, url, headers, body, connectTimeout, (answer, responseHeaders) -> read.apply(answer));
    }

    /**
     * {@link #post} for a chat answer of {@code model} (the upstream's name for it), which carries the upstream's own id
     * of the request when it sent one; the answer's rate-limit headers are kept for the model ({@link #quota}).
     */
    public CompletionStage<io.sluice.domain.ChatResponse> postChat(String model, String url, Map<String, String> headers, Body body,
                                                                  Duration connectTimeout, Function<JsonNode, io.sluice.domain.ChatResponse> read) {
        return exchange(model, url, headers, body, connectTimeout, (answer, responseHeaders) -> {
            io.sluice.domain.ChatResponse response = read.apply(answer);
            String upstreamId = UpstreamErrors.requestId(responseHeaders);
            return upstreamId == null ? response : response.withUpstreamRequestId(upstreamId);
        });
    }

    private <T> CompletionStage<T> exchange(String model, String url, Map<String, String> headers, Body body, Duration connectTimeout,
                                            java.util.function.BiFunction<JsonNode, io.vertx.core.MultiMap, T> read) {
        byte[] bytes;
        try {
            bytes = written(body);
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        http.current().request(options(url, headers, connectTimeout)).compose(request -> {
            sent.set(request);
            if (result.isDone()) { // called off before it went out
                request.reset();
                return Future.<T>failedFuture(new CancellationException());
            }
            // the body is read in the same callback as the answer's head, so that none of it passes unread
            return request.send(Buffer.buffer(bytes)).compose(response -> observed(response, model).body()
                    .map(received -> answer(response.statusCode(), response.headers(), received == null ? new byte[0] : received.getBytes(), read)));
        }).onComplete(ar -> {
            if (ar.succeeded()) result.complete(ar.result());
            else result.completeExceptionally(UpstreamErrors.fromThrowable(ar.cause()));
        });
        // a caller that stops waiting (another model answered first) resets the request: the upstream stops working on it
        result.whenComplete((value, error) -> {
            HttpClientRequest request = sent.get();
            if (result.isCancelled() && request != null) request.reset();
        });
        return result;
    }

    /**
     * A request of any method with a body of any type ({@code body} null: none), for an upstream's other APIs (files,
     * batches); a 200 answer's body as sent, any other status mapped to the gateway's exceptions.
     */
    public CompletionStage<byte[]> send(HttpMethod method, String url, Map<String, String> headers, String contentType, byte[] body) {
        RequestOptions options = options(url, headers, null).setMethod(method);
        if (contentType != null) options.putHeader("content-type", contentType);
        else options.removeHeader("content-type");
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        http.current().request(options).compose(request -> (body == null ? request.send() : request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(received -> {
                    byte[] bytes = received == null ? new byte[0] : received.getBytes();
                    if (response.statusCode() != 200) throw UpstreamErrors.fromStatus(response.statusCode(), response.headers(), bytes, json);
                    return bytes;
                }))).onComplete(ar -> {
                    if (ar.succeeded()) result.complete(ar.result());
                    else result.completeExceptionally(UpstreamErrors.fromThrowable(ar.cause()));
                });
        return result;
    }

    /** {@link #send} answered with JSON. */
    public CompletionStage<JsonNode> sendJson(HttpMethod method, String url, Map<String, String> headers, String contentType, byte[] body) {
        return send(method, url, headers, contentType, body).thenApply(bytes -> {
            try {
                return json.readTree(bytes);
            } catch (java.io.IOException e) {
                throw new UpstreamUnavailableException(200, "The upstream provider sent a malformed response", null, e);
            }
        });
    }

    private io.vertx.core.http.HttpClientResponse observed(io.vertx.core.http.HttpClientResponse response, String model) {
        observe(response.headers(), model);
        return response;
    }

    private <T> T answer(int status, io.vertx.core.MultiMap headers, byte[] body, java.util.function.BiFunction<JsonNode, io.vertx.core.MultiMap, T> read) {
        if (status != 200) throw UpstreamErrors.fromStatus(status, headers, body, json);
        try {
            return read.apply(json.readTree(body), headers);
        } catch (java.io.IOException | RuntimeException e) {
            if (e instanceof io.sluice.domain.error.SluiceException s) throw s;
            throw new UpstreamUnavailableException(200, "The upstream provider sent a malformed response", null, e);
        }
    }

    /**
     * POSTs {@code body} and streams the server-sent events of the answer of {@code model} as chunks, read by
     * {@code events}; the answer's rate-limit headers are kept for the model.
     */
    public Flow.Publisher<ChatChunk> stream(String model, String url, Map<String, String> headers, Body body, Duration connectTimeout,
                                            StreamEvents events) {
        byte[] bytes;
        try {
            bytes = written(body);
        } catch (RuntimeException e) {
            return failed(e);
        }
        RequestOptions options = options(url, headers, connectTimeout).putHeader("accept", "text/event-stream");
        return new UpstreamStream(vertx, () -> http.current().request(options).map(HttpClientRequest.class::cast), Buffer.buffer(bytes), events, json,
                head -> observe(head, model));
    }

    private static Flow.Publisher<ChatChunk> failed(RuntimeException error) {
        return subscriber -> {
            subscriber.onSubscribe(new Flow.Subscription() {
                public void request(long n) {}
                public void cancel() {}
            });
            subscriber.onError(error);
        };
    }

    private RequestOptions options(String url, Map<String, String> headers, Duration connectTimeout) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(url)
                .setIdleTimeout(idleTimeout.toMillis())
                .putHeader("content-type", "application/json");
        headers.forEach(options::putHeader);
        if (connectTimeout != null) options.setConnectTimeout(connectTimeout.toMillis());
        // the attempt's span, made current by the engine while it sends, is the upstream's parent (W3C traceparent)
        io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator.getInstance()
                .inject(io.opentelemetry.context.Context.current(), options, RequestOptions::putHeader);
        return options;
    }

    /** {@code base} without a trailing slash, then {@code path}. */
    public static String join(String base, String path) {
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }

    @Override
    public void close() {
        http.close();
    }
}
