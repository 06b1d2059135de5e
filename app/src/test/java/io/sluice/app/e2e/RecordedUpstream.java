package io.sluice.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A second OpenAI-shaped upstream, unlike the simulator: it answers every chat call with the same recorded answer,
 * rich in the fields a gateway tends to drop, and keeps every request body it was sent. A request whose
 * {@code temperature} is 1.9 is refused as OpenAI refuses a bad value; one whose model is {@code missing} gets a 404
 * that is not about a model (a wrong base URL).
 */
final class RecordedUpstream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String REFUSED = """
            {"error":{"message":"Invalid value for 'temperature': must be at most 1.8 for this model.","type":"invalid_request_error",\
            "param":"temperature","code":"invalid_value"}}""";
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();

    RecordedUpstream(String completion, List<String> events) {
        server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            JsonNode json;
            try {
                json = JSON.readTree(body.getBytes());
            } catch (java.io.IOException e) {
                request.response().setStatusCode(400).end();
                return;
            }
            requests.add(json);
            var response = request.response().putHeader("x-request-id", "req_recorded");
            if (json.path("temperature").asDouble() == 1.9) {
                response.setStatusCode(400).putHeader("content-type", "application/json").end(REFUSED);
            } else if ("missing".equals(json.path("model").asText())) {
                response.setStatusCode(404).putHeader("content-type", "text/html").end("<html>Not Found</html>");
            } else if (json.path("stream").asBoolean()) {
                response.putHeader("content-type", "text/event-stream").end(String.join("", events.stream().map(e -> "data: " + e + "\n\n").toList())
                        + "data: [DONE]\n\n");
            } else {
                response.putHeader("content-type", "application/json").end(completion);
            }
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/v1";
    }

    List<JsonNode> requests() {
        return requests;
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
