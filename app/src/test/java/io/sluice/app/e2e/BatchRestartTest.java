package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FilePurpose;
import io.sluice.jdbc.StorageSettings;
import io.sluice.testkit.db.PostgresTestSchema;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway killed ({@code kill -9}) while it runs two batches, one on the simulator's batch API and one call by call
 * (its provider has none): the next gateway on the same database takes both up once the dead one's lease lapses. The
 * first is asked after, not submitted again; the second runs only the requests that had not ended. Each batch's output
 * holds every request once, and no call is billed twice.
 */
class BatchRestartTest {
    @TempDir
    Path dir;

    @Test
    void batchesOfAKilledGatewayAreTakenUpByTheNextAndEndOnce() throws Exception {
        try (PostgresTestSchema schema = new PostgresTestSchema(); Simulator simulator = new Simulator(SimulatorConfig.ofDefaults()
                .withLatency(Duration.ofMillis(250)))) {
            simulator.start(0);
            simulator.batchPace(Duration.ofMillis(100));
            StorageSettings storage = new StorageSettings(StorageSettings.Dialect.POSTGRESQL, schema.jdbcUrl(), schema.user(), schema.password(), 1);
            String yaml = """
                    sluice:
                      storage:
                        type: postgres
                        postgres: {url: "%s", user: "%s", password: "%s", pool-size: 4}
                      providers:
                        sim: {type: openai, base-url: "%s", api-key: sk-sim-secret}
                        relay: {type: openai, base-url: "%s", api-key: sk-relay, options: {batch-api: "false"}}
                      models:
                        gpt-4o: {provider: sim}
                        relay-mini: {provider: relay, upstream-name: gpt-4o-mini}
                      batch: {poll-interval: 200ms, concurrency: 2}
                    """.formatted(schema.jdbcUrl(), schema.user(), schema.password() == null ? "" : schema.password(), simulator.baseUrl(),
                    simulator.baseUrl());
            String upstreamRun;
            String gatewayRun;
            try (GatewayProcess first = new GatewayProcess(yaml)) {
                OpenAIClient client = client(first);
                upstreamRun = submit(client, "gpt-4o", 40);
                gatewayRun = submit(client, "relay-mini", 30);
                await().atMost(Duration.ofSeconds(30)).until(() -> results(storage, gatewayRun) >= 6
                        && Sql.value(storage, "SELECT upstream_id FROM batches WHERE id = ?", upstreamRun) != null);
                first.kill();
            }
            long answeredBeforeRestart = simulator.stats().requests();
            assertThat(answeredBeforeRestart).as("the gateway run was cut short").isLessThan(30);

            try (GatewayProcess second = new GatewayProcess(yaml)) {
                OpenAIClient client = client(second);
                for (String[] batch : new String[][] {{upstreamRun, "40"}, {gatewayRun, "30"}}) {
                    Batch done = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                            .until(() -> client.batches().retrieve(batch[0]), b -> b.status().equals(Batch.Status.COMPLETED));
                    int count = Integer.parseInt(batch[1]);
                    assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(count);
                    Set<String> ids = new HashSet<>();
                    try (var content = client.files().content(done.outputFileId().orElseThrow())) {
                        for (String row : new String(content.body().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                            ids.add(CachingGateway.JSON.readTree(row).path("custom_id").asText());
                        }
                    }
                    assertThat(ids).as("every request once").hasSize(count);
                }
            }
            assertThat(simulator.batchesSubmitted()).as("the upstream batch was not submitted again").isEqualTo(1);
            assertThat(Sql.value(storage, "SELECT COUNT(*) FROM usage_ledger WHERE request_id = ?", upstreamRun)).isEqualTo(40L);
            long gatewayBills = (Long) Sql.value(storage, "SELECT COUNT(*) FROM usage_ledger WHERE request_id LIKE ?", gatewayRun + "-%");
            assertThat(gatewayBills).as("each call the upstream served, billed once").isEqualTo(simulator.stats().served());
            assertThat(simulator.stats().requests()).as("the requests running at the kill ran again; no other").isBetween(30L, 32L);
        }
    }

    private static OpenAIClient client(GatewayProcess gateway) {
        return OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl() + "/v1").apiKey("sk-open-gateway").maxRetries(0).build();
    }

    private String submit(OpenAIClient client, String model, int count) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < count; i++) {
            lines.append("{\"custom_id\":\"ticket-").append(i).append("\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"")
                    .append(model).append("\",\"messages\":[{\"role\":\"user\",\"content\":\"Summarise ticket ").append(i).append("\"}]}}\n");
        }
        Path file = Files.writeString(Files.createTempFile(dir, "batch", ".jsonl"), lines);
        String input = client.files().create(FileCreateParams.builder().file(file).purpose(FilePurpose.BATCH).build()).id();
        return client.batches().create(BatchCreateParams.builder().inputFileId(input).endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
                .completionWindow(BatchCreateParams.CompletionWindow._24H).build()).id();
    }

    private static long results(StorageSettings storage, String batchId) {
        return (Long) Sql.value(storage, "SELECT COUNT(*) FROM batch_results WHERE batch_id = ?", batchId);
    }
}
