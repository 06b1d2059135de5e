package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.app.Gateway;
import io.sluice.app.config.ConfigLoader;
import io.sluice.jdbc.StorageSettings;
import io.sluice.testkit.db.PostgresTestSchema;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A gateway with the response cache on, started from YAML as an operator writes it, on a fresh PostgreSQL schema and
 * its own simulator, with gateway keys required: {@link #key} makes one for an owner. Closed with everything it started.
 */
final class CachingGateway implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN = "admin-key-for-cache-tests-0123456789";
    final Simulator simulator;
    final PostgresTestSchema schema;
    final Gateway gateway;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param cache the lines under {@code response-cache:} besides {@code enabled: true}, each indented by four spaces */
    CachingGateway(Path dir, String cache) throws Exception {
        this(dir, cache, new PostgresTestSchema(), null);
    }

    /** A gateway on {@code schema} (a replica, when another gateway uses it too), with the response cache kept in {@code redisUri} if set. */
    CachingGateway(Path dir, String cache, PostgresTestSchema schema, String redisUri) throws Exception {
        this(dir, cache, schema, redisUri, "");
    }

    /**
     * @param providers more providers, each a line indented by four spaces, beside {@code sim} (this gateway's simulator,
     *                  whose base URL {@code ${SIM}} stands for)
     */
    CachingGateway(Path dir, String cache, PostgresTestSchema schema, String redisUri, String providers) throws Exception {
        this.schema = schema;
        simulator = new Simulator(SimulatorConfig.ofDefaults());
        simulator.start(0);
        Path file = Files.writeString(Files.createTempFile(dir, "sluice", ".yaml"), """
                sluice:
                  server: {port: 0}
                  auth: {admin-key: "%s"}
                  storage:
                    type: postgres
                    postgres: {url: "%s", user: "%s"}
                  redis: {uri: "%s"}
                  providers:
                    sim: {type: openai, base-url: "%s", api-key: sk-sim-secret, timeout: 5s}
                %s
                  # a route's short question is 'simple', whose tier is fast by default: its 1 s deadline is overrun by
                  # a loaded machine's fresh gateway (its first call; a call that waited out an upstream key's 1 s
                  # Retry-After). Tests of a deadline ask for their tier
                  classifier: {tiers: {simple: normal}}
                  passthrough-provider: sim
                  response-cache:
                    enabled: true
                %s
                """.formatted(ADMIN, schema.jdbcUrl(), schema.user(), redisUri == null ? "redis://127.0.0.1:6379" : redisUri,
                simulator.baseUrl(), providers.replace("${SIM}", simulator.baseUrl()), cache));
        gateway = Gateway.start(ConfigLoader.load(Optional.of(file), Map.of(), Map.of()));
    }

    StorageSettings storage() {
        return new StorageSettings(StorageSettings.Dialect.POSTGRESQL, schema.jdbcUrl(), schema.user(), schema.password(), 1);
    }

    /** A new gateway key of {@code owner}. */
    String key(String owner) throws Exception {
        HttpResponse<String> created = send("POST", "/admin/keys", "{\"owner\":\"" + owner + "\",\"name\":\"cache-test\"}", ADMIN);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).path("key").asText();
    }

    /** A chat body for gpt-4o-mini at temperature 0: a system prompt and one question. */
    static String question(String text) {
        return "{\"model\":\"gpt-4o-mini\",\"temperature\":0,\"messages\":[{\"role\":\"system\",\"content\":\"You are Acme's support assistant.\"},"
                + "{\"role\":\"user\",\"content\":" + TestGateway.quote(text) + "}]}";
    }

    HttpResponse<String> chat(String key, String body, String... headers) throws Exception {
        return send("POST", "/v1/chat/completions", body, key, headers);
    }

    HttpResponse<String> send(String method, String path, String body, String key, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path)).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json").header("Authorization", "Bearer " + key)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) request.headers(headers);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String cache(HttpResponse<String> answer) {
        return answer.headers().firstValue("X-Sluice-Cache").orElse("(none)");
    }

    static String content(HttpResponse<String> answer) throws Exception {
        return JSON.readTree(answer.body()).path("choices").path(0).path("message").path("content").asText();
    }

    /** The text a streamed answer's content deltas add up to. */
    static String streamedContent(String events) throws Exception {
        StringBuilder text = new StringBuilder();
        for (String line : events.split("\n")) {
            if (!line.startsWith("data: {")) continue;
            JsonNode delta = JSON.readTree(line.substring(6)).path("choices").path(0).path("delta");
            if (delta.hasNonNull("content")) text.append(delta.path("content").asText());
        }
        return text.toString();
    }

    /** The ledger's rows of {@code owner} once there are {@code count}: a hit's bill is written while its answer goes out. */
    List<Map<String, Object>> bills(String owner, int count) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> bills(owner).size() >= count);
        return bills(owner);
    }

    List<String> outcomes(String owner, int count) {
        bills(owner, count);
        return outcomes(owner);
    }

    /** The ledger's rows of {@code owner}, oldest first. */
    List<Map<String, Object>> bills(String owner) {
        return Sql.rows(storage(), "SELECT request_id, outcome, cost, cache_saved, cache_similarity, endpoint, input_tokens, output_tokens "
                + "FROM usage_ledger WHERE owner = ? ORDER BY created_at, request_id", owner);
    }

    List<String> outcomes(String owner) {
        List<String> outcomes = new ArrayList<>();
        for (var row : bills(owner)) outcomes.add((String) row.get("outcome"));
        return outcomes;
    }

    @Override
    public void close() throws Exception {
        gateway.close();
        simulator.close();
        schema.close();
    }
}
