package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.jdbc.StorageSettings;
import io.sluice.testkit.servers.SecondPostgres;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL goes away (a second server of the test's own, stopped as a crash would): calls get a quick 503
 * {@code storage_unavailable} before anything goes upstream, an item's deletion is refused the same way (and done when
 * asked again), readiness says so at once, and all recover on their own when it is back.
 */
class PostgresOutageTest {
    @Test
    void callsAreRefusedQuicklyReadinessSaysSoAndBothRecoverWithTheDatabase() throws Exception {
        try (SecondPostgres postgres = new SecondPostgres();
             TestGateway sluice = TestGateway.onStorage(new StorageSettings(StorageSettings.Dialect.POSTGRESQL, postgres.jdbcUrl(), postgres.user(), "", 4))) {
            assertThat(sluice.post("/v1/chat/completions", TestGateway.chat("hello")).statusCode()).isEqualTo(200);
            assertThat(sluice.get("/health/ready").statusCode()).isEqualTo(200);
            String conversation = sluice.post("/v1/chat/completions", TestGateway.chat("my card is 4111"), "X-Conversation-Id", "new")
                    .headers().firstValue("X-Conversation-Id").orElseThrow();

            postgres.stop();
            // the first call to find out may wait for the pool; from then on every refusal is at once
            sluice.post("/v1/chat/completions", TestGateway.chat("who notices"), "X-Conversation-Id", "new");
            long upstreamBefore = sluice.simulator.stats().requests();
            for (String[] headers : new String[][] {{}, {"X-Conversation-Id", "new"}}) {
                long started = System.nanoTime();
                HttpResponse<String> refused = sluice.post("/v1/chat/completions", TestGateway.chat("during the outage"), headers);
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
                assertThat(refused.body()).contains("\"code\":\"storage_unavailable\"").doesNotContain("Exception").doesNotContain("jdbc:");
                assertThat(refused.headers().firstValue("retry-after")).contains("1");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("refused at once, not after a pool timeout").isLessThan(Duration.ofSeconds(1));
            }
            assertThat(sluice.simulator.stats().requests()).as("nothing went upstream that could not be billed").isEqualTo(upstreamBefore);
            HttpResponse<String> notDeleted = sluice.delete("/v1/conversations/" + conversation + "/items/msg_1");
            assertThat(notDeleted.statusCode()).as(notDeleted.body()).isEqualTo(503);
            assertThat(notDeleted.body()).doesNotContain("Exception").doesNotContain("jdbc:").doesNotContain("my card");
            for (HttpResponse<String> down : List.of(sluice.get("/v1/files"), sluice.get("/v1/batches"), sluice.post("/v1/batches",
                    "{\"input_file_id\":\"file-0123456789abcdef01234567\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}"))) {
                assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
                assertThat(down.body()).contains("\"code\":\"storage_unavailable\"").doesNotContain("Exception").doesNotContain("jdbc:");
            }
            long started = System.nanoTime();
            HttpResponse<String> ready = sluice.get("/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));

            postgres.start();
            long restarted = System.nanoTime();
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(sluice.get("/health/ready").statusCode()).isEqualTo(200));
            System.out.println("postgres outage: ready again " + Duration.ofNanos(System.nanoTime() - restarted).toMillis()
                    + " ms after the server took connections");
            assertThat(sluice.post("/v1/chat/completions", TestGateway.chat("back again")).statusCode()).isEqualTo(200);
            assertThat(sluice.post("/v1/chat/completions", TestGateway.chat("and stored"), "X-Conversation-Id", "new").statusCode()).isEqualTo(200);
            assertThat(sluice.delete("/v1/conversations/" + conversation + "/items/msg_1").statusCode()).as("the delete, asked again").isEqualTo(200);
            assertThat(sluice.get("/v1/conversations/" + conversation + "/items").body()).doesNotContain("my card");
            assertThat(sluice.get("/v1/files").statusCode()).as("the Files API is back with the database").isEqualTo(200);
            assertThat(sluice.get("/v1/batches").statusCode()).as("the Batch API too").isEqualTo(200);
        }
    }
}
