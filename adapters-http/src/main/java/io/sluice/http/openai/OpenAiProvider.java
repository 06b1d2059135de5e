package io.sluice.http.openai;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ChatResponse;
import io.sluice.http.internal.OpenAiJson;
import io.sluice.ports.out.LlmProvider;
import io.sluice.ports.out.ProviderSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * An OpenAI-compatible upstream (OpenAI, DeepSeek, vLLM, Ollama, any relay) over pooled HTTP connections.
 * Plain calls go through the Web Client; streams through the same pool's HTTP client, so that the body can be
 * read chunk by chunk. {@code timeout} is an idle timeout: how long the upstream may stay silent. Thread-safe.
 */
final class OpenAiProvider implements LlmProvider {
    private final ProviderSettings settings;
    private final Vertx vertx;
    private final HttpClientAgent http;
    private final WebClient web;
    private final OpenAiJson json;
    private final String completionsUrl;
    private final String embeddingsUrl;

    OpenAiProvider(ProviderSettings settings, Vertx vertx, HttpClientAgent http, OpenAiJson json) {
        this.settings = settings;
        this.vertx = vertx;
        this.http = http;
        this.web = WebClient.wrap(http);
        this.json = json;
        this.completionsUrl = stripSlash(settings.baseUrl()) + "/chat/completions";
        this.embeddingsUrl = stripSlash(settings.baseUrl()) + "/embeddings";
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public CompletionStage<ChatResponse> complete(ChatRequest request) {
        var call = web.postAbs(completionsUrl)
                .putHeader("content-type", "application/json")
                .idleTimeout(settings.timeout().toMillis());
        if (settings.apiKey() != null) call.putHeader("authorization", "Bearer " + settings.apiKey());
        Future<ChatResponse> result = call.sendBuffer(Buffer.buffer(json.writeRequest(request, false)))
                .transform(ar -> ar.succeeded() ? toResponse(ar.result()) : Future.failedFuture(UpstreamErrors.fromThrowable(ar.cause())));
        return result.toCompletionStage();
    }

    private Future<ChatResponse> toResponse(HttpResponse<Buffer> response) {
        byte[] body = response.body() == null ? new byte[0] : response.body().getBytes();
        if (response.statusCode() != 200) {
            return Future.failedFuture(UpstreamErrors.fromStatus(response.statusCode(), response.headers(), body, json.mapper()));
        }
        try {
            return Future.succeededFuture(json.readResponse(json.mapper().readTree(body)));
        } catch (IOException | RuntimeException e) {
            return Future.failedFuture(new io.sluice.domain.error.UpstreamUnavailableException(200,
                    "The upstream provider sent a malformed response", null, e));
        }
    }

    @Override
    public CompletionStage<List<float[]>> embed(String model, List<String> texts) {
        var body = json.mapper().createObjectNode().put("model", model);
        texts.forEach(body.putArray("input")::add);
        var call = web.postAbs(embeddingsUrl).putHeader("content-type", "application/json").idleTimeout(settings.timeout().toMillis());
        if (settings.apiKey() != null) call.putHeader("authorization", "Bearer " + settings.apiKey());
        Future<List<float[]>> result = call.sendBuffer(Buffer.buffer(body.toString()))
                .transform(ar -> ar.succeeded() ? toVectors(ar.result(), texts.size()) : Future.failedFuture(UpstreamErrors.fromThrowable(ar.cause())));
        return result.toCompletionStage();
    }

    private Future<List<float[]>> toVectors(HttpResponse<Buffer> response, int expected) {
        byte[] body = response.body() == null ? new byte[0] : response.body().getBytes();
        if (response.statusCode() != 200) {
            return Future.failedFuture(UpstreamErrors.fromStatus(response.statusCode(), response.headers(), body, json.mapper()));
        }
        try {
            float[][] vectors = new float[expected][];
            for (var item : json.mapper().readTree(body).path("data")) {
                var embedding = item.path("embedding");
                float[] v = new float[embedding.size()];
                for (int i = 0; i < v.length; i++) v[i] = (float) embedding.get(i).asDouble();
                vectors[item.path("index").asInt()] = v;
            }
            for (float[] v : vectors) if (v == null) throw new IllegalStateException("an embedding is missing");
            return Future.succeededFuture(List.of(vectors));
        } catch (IOException | RuntimeException e) {
            return Future.failedFuture(new io.sluice.domain.error.UpstreamUnavailableException(200,
                    "The upstream provider sent malformed embeddings", null, e));
        }
    }

    @Override
    public Flow.Publisher<ChatChunk> stream(ChatRequest request) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(completionsUrl)
                .setIdleTimeout(settings.timeout().toMillis())
                .putHeader("content-type", "application/json")
                .putHeader("accept", "text/event-stream");
        if (settings.apiKey() != null) options.putHeader("authorization", "Bearer " + settings.apiKey());
        Buffer body = Buffer.buffer(json.writeRequest(request, true));
        return new UpstreamStream(vertx, () -> http.request(options).map(HttpClientRequest.class::cast), body, json);
    }

    @Override
    public void close() {
        http.close();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
