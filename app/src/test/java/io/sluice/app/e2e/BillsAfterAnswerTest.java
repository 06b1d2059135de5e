package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.app.Gateway;
import io.sluice.app.config.ConfigLoader;
import io.sluice.app.config.GatewaySettings;
import io.sluice.testkit.db.PostgresTestSchema;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice.storage.commit-bill-before-answer: false}: stateless calls are answered before their bills are
 * committed, and every bill still reaches the ledger on PostgreSQL, the last ones before shutdown completes.
 */
class BillsAfterAnswerTest {
    private static final int CALLS = 40;

    @TempDir
    Path dir;

    @Test
    void everyStatelessCallAnsweredBeforeItsBillIsCommittedStillHasItsBillInTheLedgerOnceTheGatewayHasStopped() throws Exception {
        try (PostgresTestSchema schema = new PostgresTestSchema(); Simulator simulator = new Simulator(SimulatorConfig.ofDefaults())) {
            simulator.start(0);
            Path file = Files.writeString(dir.resolve("sluice.yaml"), """
                    sluice:
                      server: {port: 0}
                      storage:
                        type: postgres
                        commit-bill-before-answer: false
                        postgres: {url: "%s", user: "%s"}
                      providers:
                        sim: {type: openai, base-url: "%s", api-key: sk-sim-secret}
                      models:
                        gpt-4o-mini: {provider: sim}
                    """.formatted(schema.jdbcUrl(), schema.user(), simulator.baseUrl()));
            GatewaySettings settings = ConfigLoader.load(Optional.of(file), Map.of(), Map.of());
            assertThat(settings.commitBillBeforeAnswer()).isFalse();

            Gateway gateway = Gateway.start(settings);
            try (HttpClient http = HttpClient.newHttpClient()) {
                for (int i = 0; i < CALLS; i++) {
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/chat/completions"))
                            .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(TestGateway.chat("call " + i)))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(answer.statusCode()).isEqualTo(200);
                }
            } finally {
                gateway.close(); // waits for the bills still being written, then closes the database
            }

            try (var db = DriverManager.getConnection(schema.jdbcUrl(), schema.user(), schema.password());
                 ResultSet rows = db.createStatement().executeQuery("SELECT count(*), count(DISTINCT request_id) FROM usage_ledger")) {
                rows.next();
                assertThat(rows.getLong(1)).as("one bill per call").isEqualTo(CALLS);
                assertThat(rows.getLong(2)).isEqualTo(CALLS);
            }
        }
    }
}
