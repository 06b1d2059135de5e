package io.sluice.examples.jdkopenai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.Usage;
import io.sluice.domain.error.UnsupportedFeatureException;
import io.sluice.domain.error.UpstreamAuthenticationException;
import io.sluice.domain.error.UpstreamRateLimitedException;
import io.sluice.domain.error.UpstreamRejectedException;
import io.sluice.domain.error.UpstreamTimeoutException;
import io.sluice.domain.error.UpstreamUnavailableException;
import io.sluice.ports.out.LlmProvider;
import io.sluice.ports.out.ProviderSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * An OpenAI-compatible chat provider on the JDK's own HTTP client: plain completions only. Streams and tools are
 * switched off, so they throw {@link UnsupportedFeatureException}, as the provider contract requires. Every failure
 * is mapped to the gateway's exceptions here, so that the gateway's retry table can act on it.
 */
final class JdkOpenAiProvider implements LlmProvider {
    private final ProviderSettings settings;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    JdkOpenAiProvider(ProviderSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public CompletionStage<ChatResponse> complete(ChatRequest request) {
        boolean tools = !request.options().tools().isEmpty() || request.messages().stream().anyMatch(m -> !m.toolCalls().isEmpty());
        if (tools) return CompletableFuture.failedFuture(new UnsupportedFeatureException("Provider '" + name() + "' does not support tools"));
        String base = settings.baseUrl().endsWith("/") ? settings.baseUrl() : settings.baseUrl() + "/";
        HttpRequest.Builder call = HttpRequest.newBuilder(URI.create(base + "chat/completions"))
                .timeout(settings.timeout())
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(request)));
        if (settings.apiKey() != null) call.header("authorization", "Bearer " + settings.apiKey());
        return http.sendAsync(call.build(), HttpResponse.BodyHandlers.ofByteArray()).handle((response, error) -> {
            if (error != null) throw new CompletionException(failure(error));
            if (response.statusCode() != 200) throw new CompletionException(failure(response));
            try {
                return answer(json.readTree(response.body()));
            } catch (IOException | RuntimeException e) {
                throw new CompletionException(new UpstreamUnavailableException(200, "The upstream sent a malformed answer", null, e));
            }
        });
    }

    private byte[] body(ChatRequest request) {
        ObjectNode root = json.createObjectNode().put("model", request.model());
        ArrayNode messages = root.putArray("messages");
        for (ChatMessage m : request.messages()) {
            ObjectNode message = messages.addObject().put("role", m.role().wireName()).put("content", m.content());
            if (m.toolCallId() != null) message.put("tool_call_id", m.toolCallId());
        }
        if (request.options().maxTokens() != null) root.put("max_tokens", request.options().maxTokens());
        if (request.options().temperature() != null) root.put("temperature", request.options().temperature());
        return root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static ChatResponse answer(JsonNode root) {
        JsonNode choice = root.path("choices").path(0);
        JsonNode usage = root.path("usage");
        return new ChatResponse(root.path("id").asText("unknown"), root.path("model").asText("unknown"), root.path("created").asLong(0),
                ChatMessage.assistant(choice.path("message").path("content").asText("")), choice.path("finish_reason").asText(null),
                new Usage(usage.path("prompt_tokens").asInt(0), usage.path("completion_tokens").asInt(0),
                        usage.path("prompt_tokens_details").path("cached_tokens").asInt(0)));
    }

    /** The status table every provider shares: the retry table reads these exception types, never statuses. */
    private RuntimeException failure(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        Duration retryAfter = response.headers().firstValue("retry-after").filter(v -> v.matches("\\d+"))
                .map(v -> Duration.ofSeconds(Long.parseLong(v))).orElse(null);
        return switch (status) {
            case 400, 404, 409, 413, 422 -> new UpstreamRejectedException(status, message(response.body()));
            case 401, 403 -> new UpstreamAuthenticationException(status);
            case 408 -> new UpstreamTimeoutException("The upstream timed out (HTTP 408)", null);
            case 429 -> new UpstreamRateLimitedException("The upstream is rate limiting requests", retryAfter);
            default -> new UpstreamUnavailableException(status, "The upstream failed (HTTP " + status + ")", retryAfter, null);
        };
    }

    private static RuntimeException failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof HttpTimeoutException) return new UpstreamTimeoutException("The upstream did not answer in time", cause);
        return new UpstreamUnavailableException(0, "The connection to the upstream was refused, reset or closed", null, cause);
    }

    /** The upstream's own reason for refusing a request, which the client may see; never more than 300 characters. */
    private String message(byte[] body) {
        try {
            String text = json.readTree(body).path("error").path("message").asText("The upstream rejected the request");
            return text.length() <= 300 ? text : text.substring(0, 300);
        } catch (IOException e) {
            return "The upstream rejected the request";
        }
    }

    @Override
    public Flow.Publisher<ChatChunk> stream(ChatRequest request) {
        throw new UnsupportedFeatureException("Provider '" + name() + "' does not stream");
    }

    @Override
    public void close() {
        http.close();
    }
}
