package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.app.Gateway;
import io.sluice.app.config.ConfigLoader;
import io.sluice.testkit.db.PostgresTestSchema;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One caller's unstorable values never cost another caller their answer or their bill: 150 concurrent calls and 10
 * whose fields PostgreSQL could not store; the 10 are refused with a 400 naming the field before anything goes upstream,
 * the 150 are all answered and billed, with bills committed before the answer and after it.
 */
class PoisonRowsTest {
    private static final String LONG_USER = "u".repeat(257);
    /** Each an unstorable request, and the field its 400 must name. */
    private static final List<String[]> POISON = List.of(
            new String[] {"{\"model\":\"gpt-4o-mini\",\"user\":\"" + LONG_USER + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "user"},
            new String[] {"{\"model\":\"gpt-4o-mini\",\"user\":\"bad\\u0000user\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "user"},
            new String[] {"{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"nul \\u0000 here\"}]}", "messages[0].content"},
            new String[] {"{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"half \\ud800 a pair\"}]}", "messages[0].content"},
            new String[] {"{\"model\":\"" + "m".repeat(257) + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model"});

    @TempDir
    Path dir;

    @ParameterizedTest(name = "bill committed before the answer: {0}")
    @ValueSource(booleans = {true, false})
    void unstorableCallsAreRefusedUpFrontAndEveryOtherCallIsAnsweredAndBilled(boolean billBeforeAnswer) throws Exception {
        try (PostgresTestSchema schema = new PostgresTestSchema(); Simulator simulator = new Simulator(SimulatorConfig.ofDefaults());
             ExecutorService pool = Executors.newFixedThreadPool(40); HttpClient http = HttpClient.newHttpClient()) {
            simulator.start(0);
            Path file = Files.writeString(dir.resolve("sluice.yaml"), """
                    sluice:
                      server: {port: 0}
                      storage:
                        type: postgres
                        commit-bill-before-answer: %s
                        postgres: {url: "%s", user: "%s"}
                      providers:
                        sim: {type: openai, base-url: "%s", api-key: sk-sim-secret}
                      models:
                        gpt-4o-mini: {provider: sim, input-price: 1, output-price: 2}
                    """.formatted(billBeforeAnswer, schema.jdbcUrl(), schema.user(), simulator.baseUrl()));
            Gateway gateway = Gateway.start(ConfigLoader.load(Optional.of(file), Map.of(), Map.of()));
            List<Future<HttpResponse<String>>> good = new ArrayList<>();
            List<Future<HttpResponse<String>>> bad = new ArrayList<>();
            try {
                for (int i = 0; i < 160; i++) {
                    boolean poison = i % 16 == 5;
                    String body = poison ? POISON.get(bad.size() % POISON.size())[0] : TestGateway.chat("call " + i);
                    Future<HttpResponse<String>> answer = pool.submit(() -> http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
                                    + "/chat/completions")).header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString()));
                    (poison ? bad : good).add(answer);
                }
                for (Future<HttpResponse<String>> answer : good) assertThat(answer.get().statusCode()).isEqualTo(200);
                for (int i = 0; i < bad.size(); i++) {
                    HttpResponse<String> refused = bad.get(i).get();
                    assertThat(refused.statusCode()).isEqualTo(400);
                    assertThat(refused.body()).contains("\"param\":\"" + POISON.get(i % POISON.size())[1] + "\"").doesNotContain("\u0000");
                }
            } finally {
                gateway.close(); // waits for bills still being written
            }
            assertThat(bad).hasSize(10);
            assertThat(simulator.stats().requests()).as("no refused call went upstream").isEqualTo(150);
            var storage = new io.sluice.jdbc.StorageSettings(io.sluice.jdbc.StorageSettings.Dialect.POSTGRESQL, schema.jdbcUrl(), schema.user(),
                    schema.password(), 1);
            assertThat(Sql.value(storage, "SELECT COUNT(DISTINCT request_id) FROM usage_ledger")).as("every answered call billed").isEqualTo(150L);
        }
    }
}
