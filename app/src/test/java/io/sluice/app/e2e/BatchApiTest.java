package io.sluice.app.e2e;

import static io.sluice.app.e2e.CachingGateway.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FilePurpose;
import io.sluice.testkit.db.PostgresTestSchema;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Batch API over HTTP on PostgreSQL, through the official openai-java client: a batch of 100 requests runs through
 * the simulator's OpenAI Batch API and its Anthropic Message Batches (translated), is matched by {@code custom_id} in
 * the output file and billed at the batch price, its budget reserved while it runs and settled after; a provider without
 * a batch API has its batch run by the gateway, call by call; a cancelled batch settles what ran; bad batches are
 * refused before anything goes upstream.
 */
class BatchApiTest {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    @TempDir
    Path dir;

    /** A gateway whose batch runner looks every 100 ms, with a per-owner daily cap of {@code cap} dollars. */
    private CachingGateway gateway(String cap) throws Exception {
        return gateway(cap, "24h");
    }

    /** ... whose batches expire after {@code window}. */
    private CachingGateway gateway(String cap, String window) throws Exception {
        // ${SIM}: the gateway's own simulator, which speaks both batch APIs
        return new CachingGateway(dir, """

                  batch: {poll-interval: 100ms, concurrency: 4, window: %s}
                  budgets:
                    key: {day: "%s"}
                  models:
                    claude-sonnet-4-5: {provider: claude}
                    relay-mini: {provider: relay, upstream-name: gpt-4o-mini}
                    dead-model: {provider: dead, upstream-name: gpt-4o}
                """.formatted(window, cap), new PostgresTestSchema(), null, """
                    claude: {type: anthropic, base-url: "${SIM}", api-key: sk-claude, timeout: 5s}
                    relay: {type: openai, base-url: "${SIM}", api-key: sk-relay, timeout: 5s, options: {batch-api: "false"}}
                    dead: {type: openai, base-url: "http://127.0.0.1:1/v1", api-key: sk-dead, timeout: 2s}
                """.stripTrailing());
    }

    private static OpenAIClient client(CachingGateway sluice, String key) {
        return OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + sluice.gateway.port() + "/v1").apiKey(key).maxRetries(0).build();
    }

    private static String input(String model, int count, String extra) {
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < count; i++) {
            file.append("{\"custom_id\":\"ticket:").append(i).append(".v1 ").append("x".repeat(60)).append("\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"")
                    .append(model).append("\",\"messages\":[{\"role\":\"user\",\"content\":\"Summarise ticket ").append(i).append(extra)
                    .append("\"}]}}\n");
        }
        return file.toString();
    }

    private Batch submit(OpenAIClient client, String content) throws Exception {
        Path file = Files.writeString(Files.createTempFile(dir, "batch", ".jsonl"), content);
        String id = client.files().create(FileCreateParams.builder().file(file).purpose(FilePurpose.BATCH).build()).id();
        return client.batches().create(BatchCreateParams.builder().inputFileId(id).endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
                .completionWindow(BatchCreateParams.CompletionWindow._24H).putAdditionalBodyProperty("metadata",
                        com.openai.core.JsonValue.from(Map.of("job", "nightly-summaries"))).build());
    }

    private static Batch awaitEnd(OpenAIClient client, String id) {
        return awaitEnd(client, id, Batch.Status.COMPLETED);
    }

    /** The batch once it has ended: {@code expected}, or cancelled or failed. */
    private static Batch awaitEnd(OpenAIClient client, String id, Batch.Status expected) {
        Batch[] last = new Batch[1];
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = client.batches().retrieve(id);
            Batch.Status s = last[0].status();
            return s.equals(expected) || s.equals(Batch.Status.CANCELLED) || s.equals(Batch.Status.FAILED);
        });
        return last[0];
    }

    private static List<JsonNode> lines(OpenAIClient client, String fileId) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        try (var content = client.files().content(fileId)) {
            for (String row : new String(content.body().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!row.isBlank()) lines.add(JSON.readTree(row));
            }
        }
        return lines;
    }

    /** What the owner's budget counter has spent and holds reserved. */
    private static BigDecimal[] counter(CachingGateway sluice, String owner) {
        var rows = Sql.rows(sluice.storage(), "SELECT spent, reserved FROM budget_counters WHERE counter LIKE ?", "%" + owner + "%");
        assertThat(rows).hasSize(1);
        return new BigDecimal[]{(BigDecimal) rows.getFirst().get("spent"), (BigDecimal) rows.getFirst().get("reserved")};
    }

    /** The batch's bills, and that each is its usage at the batch prices (per million tokens). */
    private static BigDecimal billedAt(CachingGateway sluice, String requestId, int count, String input, String output) {
        var rows = Sql.rows(sluice.storage(), "SELECT input_tokens, output_tokens, cost, price_source FROM usage_ledger WHERE request_id = ?", requestId);
        assertThat(rows).hasSize(count);
        BigDecimal total = BigDecimal.ZERO;
        for (var row : rows) {
            BigDecimal expected = new BigDecimal(input).multiply(BigDecimal.valueOf(((Number) row.get("input_tokens")).longValue()))
                    .add(new BigDecimal(output).multiply(BigDecimal.valueOf(((Number) row.get("output_tokens")).longValue())))
                    .divide(MILLION, 9, RoundingMode.HALF_UP);
            assertThat((BigDecimal) row.get("cost")).isEqualByComparingTo(expected);
            assertThat((String) row.get("price_source")).endsWith("batch");
            total = total.add((BigDecimal) row.get("cost"));
        }
        return total;
    }

    @Test
    void aHundredRequestsRunThroughOpenAisAndAnthropicsBatchApisAtTheBatchPrice() throws Exception {
        try (CachingGateway sluice = gateway("10")) {
            String key = sluice.key("acme");
            OpenAIClient acme = client(sluice, key);
            String[][] runs = {{"gpt-4o", "1.25", "5"}, {"claude-sonnet-4-5", "1.5", "7.5"}};
            for (String[] run : runs) {
                Batch submitted = submit(acme, input(run[0], 100, ""));
                assertThat(submitted.id()).startsWith("batch_");
                assertThat(submitted.requestCounts().orElseThrow().total()).isEqualTo(100);
                Batch done = awaitEnd(acme, submitted.id());
                assertThat(done.status()).as(run[0]).isEqualTo(Batch.Status.COMPLETED);
                assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(100);
                assertThat(done.errorFileId()).isEmpty();
                assertThat(done.completedAt()).isPresent();

                List<JsonNode> output = lines(acme, done.outputFileId().orElseThrow());
                Set<String> ids = new HashSet<>();
                for (JsonNode line : output) {
                    String customId = line.path("custom_id").asText();
                    ids.add(customId);
                    assertThat(line.path("response").path("status_code").asInt()).isEqualTo(200);
                    JsonNode body = line.path("response").path("body");
                    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
                    assertThat(body.path("model").asText()).isEqualTo(run[0]);
                    assertThat(body.path("choices").path(0).path("message").path("content").asText()).isNotBlank();
                }
                assertThat(ids).as("the client's own ids, which Anthropic's pattern would refuse").hasSize(100)
                        .allMatch(id -> id.matches("ticket:\\d+\\.v1 x{60}"));
                BigDecimal billed = billedAt(sluice, done.id(), 100, run[1], run[2]);
                assertThat(billed).isPositive();
            }
            assertThat(Sql.value(sluice.storage(), "SELECT COUNT(*) FROM batch_results")).as("the files hold the answers; no second copy")
                    .isEqualTo(0L);
            assertThat(sluice.simulator.batchesSubmitted()).isEqualTo(2);
            assertThat(sluice.simulator.batchRequestsAnswered()).isEqualTo(200);
            assertThat(sluice.simulator.stats().requests()).as("no request went as a chat call").isZero();
            BigDecimal[] budget = counter(sluice, "acme");
            BigDecimal ledger = (BigDecimal) Sql.rows(sluice.storage(), "SELECT SUM(cost) AS total FROM usage_ledger WHERE owner = ?", "acme")
                    .getFirst().get("total");
            assertThat(budget[0]).as("spent: what the ledger billed").isEqualByComparingTo(ledger);
            assertThat(budget[1]).as("nothing is left reserved").isZero();
        }
    }

    /**
     * The database refuses the batch's end once, after its answers were billed and its budget settled (as a crash
     * there would leave it): the next step collects the answers again, and every bill and the settlement still count
     * once.
     */
    @Test
    void aBatchWhoseEndIsRefusedOnceIsCollectedAgainAndBilledAndSettledOnce() throws Exception {
        try (CachingGateway sluice = gateway("10")) {
            // a sequence, not a table: a refused update rolls back whatever the trigger wrote
            Sql.update(sluice.storage(), "CREATE SEQUENCE refused_ends");
            Sql.update(sluice.storage(), """
                    CREATE FUNCTION refuse_first_end() RETURNS trigger AS $$
                    BEGIN
                        IF NEW.status = 'completed' THEN
                            IF nextval('refused_ends') = 1 THEN RAISE EXCEPTION 'refused once'; END IF;
                        END IF;
                        RETURN NEW;
                    END $$ LANGUAGE plpgsql""");
            Sql.update(sluice.storage(), "CREATE TRIGGER refuse_first_end BEFORE UPDATE ON batches FOR EACH ROW EXECUTE FUNCTION refuse_first_end()");
            OpenAIClient acme = client(sluice, sluice.key("acme"));

            Batch done = awaitEnd(acme, submit(acme, input("gpt-4o", 20, "")).id());

            assertThat(done.status()).isEqualTo(Batch.Status.COMPLETED);
            assertThat((Long) Sql.value(sluice.storage(), "SELECT last_value FROM refused_ends")).as("the end was refused, then made").isEqualTo(2L);
            assertThat(lines(acme, done.outputFileId().orElseThrow())).hasSize(20);
            BigDecimal billed = billedAt(sluice, done.id(), 20, "1.25", "5");
            BigDecimal[] budget = counter(sluice, "acme");
            assertThat(budget[0]).as("spent once").isEqualByComparingTo(billed);
            assertThat(budget[1]).as("nothing is left reserved").isZero();
            assertThat(sluice.simulator.batchesSubmitted()).as("asked after again, not submitted again").isEqualTo(1);
        }
    }

    @Test
    void aProviderWithoutABatchApiHasItsBatchRunByTheGatewayCallByCall() throws Exception {
        try (CachingGateway sluice = gateway("10")) {
            OpenAIClient acme = client(sluice, sluice.key("acme"));
            String content = input("relay-mini", 20, "") + "{\"custom_id\":\"broken\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
                    + "\"body\":{\"model\":\"relay-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"[sim:400] fail me\"}]}}\n";
            Batch done = awaitEnd(acme, submit(acme, content).id());
            assertThat(done.status()).isEqualTo(Batch.Status.COMPLETED);
            assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(20);
            assertThat(done.requestCounts().orElseThrow().failed()).isEqualTo(1);
            assertThat(lines(acme, done.outputFileId().orElseThrow())).hasSize(20)
                    .allSatisfy(line -> assertThat(line.path("response").path("body").path("model").asText()).as("as a direct call answers")
                            .isEqualTo("gpt-4o-mini"));
            List<JsonNode> errors = lines(acme, done.errorFileId().orElseThrow());
            assertThat(errors).hasSize(1);
            assertThat(errors.getFirst().path("custom_id").asText()).isEqualTo("broken");
            assertThat(errors.getFirst().path("response").path("status_code").asInt()).isEqualTo(400);
            assertThat(sluice.simulator.batchesSubmitted()).as("the relay has no batch API").isZero();
            assertThat(sluice.simulator.stats().requests()).as("one chat call per request").isEqualTo(21);
            var bills = Sql.rows(sluice.storage(), "SELECT request_id, price_source FROM usage_ledger WHERE owner = ?", "acme");
            assertThat(bills).hasSize(20).allSatisfy(b -> {
                assertThat((String) b.get("request_id")).startsWith(done.id() + "-");
                assertThat((String) b.get("price_source")).doesNotEndWith("batch");
            });
            BigDecimal[] budget = counter(sluice, "acme");
            assertThat(budget[1]).as("nothing is left reserved").isZero();
        }
    }

    @Test
    void aCancelledBatchEndsWithWhatRanBilledAndSettled() throws Exception {
        try (CachingGateway sluice = gateway("10")) {
            sluice.simulator.batchPace(Duration.ofMillis(100));
            OpenAIClient acme = client(sluice, sluice.key("acme"));
            Batch submitted = submit(acme, input("gpt-4o", 100, ""));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sluice.simulator.batchRequestsAnswered() >= 5);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> counter(sluice, "acme")[1].signum() > 0);
            Batch cancelling = acme.batches().cancel(submitted.id());
            assertThat(cancelling.status()).isEqualTo(Batch.Status.CANCELLING);
            assertThat(acme.batches().cancel(submitted.id()).status()).as("cancelled twice: the same").isIn(Batch.Status.CANCELLING, Batch.Status.CANCELLED);
            Batch done = awaitEnd(acme, submitted.id());
            assertThat(done.status()).isEqualTo(Batch.Status.CANCELLED);
            assertThat(done.cancelledAt()).isPresent();
            int ran = (int) done.requestCounts().orElseThrow().completed();
            assertThat(ran).isBetween(5, 99);
            assertThat(lines(acme, done.outputFileId().orElseThrow())).hasSize(ran);
            List<JsonNode> notRun = lines(acme, done.errorFileId().orElseThrow());
            assertThat(notRun).hasSize(100 - ran).allSatisfy(line -> assertThat(line.path("error").path("code").asText()).isEqualTo("batch_cancelled"));
            BigDecimal billed = billedAt(sluice, done.id(), ran, "1.25", "5");
            BigDecimal[] budget = counter(sluice, "acme");
            assertThat(budget[0]).as("spent: what ran").isEqualByComparingTo(billed);
            assertThat(budget[1]).isZero();
            assertThat(acme.batches().cancel(done.id()).status()).as("an ended batch stays as it ended").isEqualTo(Batch.Status.CANCELLED);
        }
    }

    @Test
    void aBatchCancelledWhileItIsSubmittedIsCalledOffAtItsProvider() throws Exception {
        try (CachingGateway sluice = gateway("10")) {
            sluice.simulator.batchSubmitDelay(Duration.ofSeconds(1));
            sluice.simulator.batchPace(Duration.ofMillis(100));
            OpenAIClient acme = client(sluice, sluice.key("acme"));
            Batch submitted = submit(acme, input("claude-sonnet-4-5", 50, ""));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sluice.simulator.batchSubmissionsReceived() == 1);
            assertThat(acme.batches().cancel(submitted.id()).status()).isEqualTo(Batch.Status.CANCELLING);
            Batch done = awaitEnd(acme, submitted.id());
            assertThat(done.status()).isEqualTo(Batch.Status.CANCELLED);
            assertThat(sluice.simulator.batchesSubmitted()).as("it reached the provider while it was being cancelled").isEqualTo(1);
            assertThat(sluice.simulator.batchesCancelled()).as("and was called off there").isEqualTo(1);
            int ran = (int) done.requestCounts().orElseThrow().completed();
            assertThat(ran).isLessThan(50);
            BigDecimal billed = billedAt(sluice, done.id(), ran, "1.5", "7.5");
            assertThat(counter(sluice, "acme")[0]).isEqualByComparingTo(billed);
            assertThat(counter(sluice, "acme")[1]).isZero();
        }
    }

    @Test
    void aBatchPastItsWindowExpiresWithWhatRanBilledAndTheRestReported() throws Exception {
        try (CachingGateway sluice = gateway("10", "2s")) {
            sluice.simulator.batchPace(Duration.ofMillis(100));
            OpenAIClient acme = client(sluice, sluice.key("acme"));
            Batch done = awaitEnd(acme, submit(acme, input("gpt-4o", 100, "")).id(), Batch.Status.EXPIRED);
            assertThat(done.status()).isEqualTo(Batch.Status.EXPIRED);
            assertThat(done.expiredAt()).isPresent();
            int ran = (int) done.requestCounts().orElseThrow().completed();
            assertThat(ran).isBetween(1, 99);
            assertThat(lines(acme, done.outputFileId().orElseThrow())).hasSize(ran);
            assertThat(lines(acme, done.errorFileId().orElseThrow())).hasSize(100 - ran)
                    .allSatisfy(line -> assertThat(line.path("error").path("code").asText()).isEqualTo("batch_expired"));
            BigDecimal billed = billedAt(sluice, done.id(), ran, "1.25", "5");
            BigDecimal[] budget = counter(sluice, "acme");
            assertThat(budget[0]).isEqualByComparingTo(billed);
            assertThat(budget[1]).isZero();
        }
    }

    @Test
    void aBatchWhoseProviderIsDownWaitsForItAndCanBeCancelled() throws Exception {
        try (CachingGateway sluice = gateway("10")) {
            OpenAIClient acme = client(sluice, sluice.key("acme"));
            Batch submitted = submit(acme, input("dead-model", 3, ""));
            Awaitility.await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5))
                    .until(() -> acme.batches().retrieve(submitted.id()).status().equals(Batch.Status.VALIDATING));
            assertThat(counter(sluice, "acme")[1]).as("its worst case stays reserved").isPositive();
            acme.batches().cancel(submitted.id());
            Batch done = awaitEnd(acme, submitted.id());
            assertThat(done.status()).isEqualTo(Batch.Status.CANCELLED);
            assertThat(done.outputFileId()).isEmpty();
            assertThat(lines(acme, done.errorFileId().orElseThrow())).hasSize(3)
                    .allSatisfy(line -> assertThat(line.path("error").path("code").asText()).isEqualTo("batch_cancelled"));
            BigDecimal[] budget = counter(sluice, "acme");
            assertThat(budget[0]).isZero();
            assertThat(budget[1]).isZero();
        }
    }

    @Test
    void badBatchesAreRefusedBeforeAnythingGoesUpstream() throws Exception {
        try (CachingGateway sluice = gateway("0.01")) {
            String key = sluice.key("acme");
            OpenAIClient acme = client(sluice, key);
            OpenAIClient other = client(sluice, sluice.key("other"));
            assertThatThrownBy(() -> acme.batches().create(BatchCreateParams.builder().inputFileId("file-000000000000000000000000")
                    .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS).completionWindow(BatchCreateParams.CompletionWindow._24H).build()))
                    .isInstanceOf(NotFoundException.class);
            Path file = Files.writeString(dir.resolve("small.jsonl"), input("gpt-4o", 1, ""));
            String small = acme.files().create(FileCreateParams.builder().file(file).purpose(FilePurpose.BATCH).build()).id();
            assertThatThrownBy(() -> acme.batches().create(BatchCreateParams.builder().inputFileId(small)
                    .endpoint(BatchCreateParams.Endpoint.V1_EMBEDDINGS).completionWindow(BatchCreateParams.CompletionWindow._24H).build()))
                    .isInstanceOf(BadRequestException.class).hasMessageContaining("endpoint");
            assertThatThrownBy(() -> acme.batches().create(BatchCreateParams.builder().inputFileId(small)
                    .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS).completionWindow(BatchCreateParams.CompletionWindow.of("1h")).build()))
                    .isInstanceOf(BadRequestException.class).hasMessageContaining("completion_window");
            assertThatThrownBy(() -> other.batches().create(BatchCreateParams.builder().inputFileId(small)
                    .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS).completionWindow(BatchCreateParams.CompletionWindow._24H).build()))
                    .as("another owner's file").isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> acme.batches().create(BatchCreateParams.builder().inputFileId("file-" + "9".repeat(100))
                    .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS).completionWindow(BatchCreateParams.CompletionWindow._24H).build()))
                    .isInstanceOf(BadRequestException.class).hasMessageContaining("input_file_id");
            Map<String, String> tooMuch = new java.util.HashMap<>();
            for (int i = 0; i < 17; i++) tooMuch.put("k" + i, "v");
            assertThatThrownBy(() -> acme.batches().create(BatchCreateParams.builder().inputFileId(small)
                    .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS).completionWindow(BatchCreateParams.CompletionWindow._24H)
                    .putAdditionalBodyProperty("metadata", com.openai.core.JsonValue.from(tooMuch)).build()))
                    .isInstanceOf(BadRequestException.class).hasMessageContaining("metadata");
            String badRequest = input("gpt-4o", 1, "").replace("\"messages\":[{\"role\":\"user\",", "\"messages\":[{\"role\":\"wizard\",");
            assertThatThrownBy(() -> submit(acme, badRequest)).isInstanceOf(BadRequestException.class).hasMessageContaining("Line 1");
            OpenAIServiceException overBudget = (OpenAIServiceException) org.assertj.core.api.Assertions.catchThrowable(
                    () -> submit(acme, input("gpt-4o", 100, "")));
            assertThat(overBudget.statusCode()).as("a batch whose worst case the budget cannot hold").isEqualTo(402);
            Batch fits = submit(acme, input("gpt-4o", 1, ""));
            assertThatThrownBy(() -> other.batches().retrieve(fits.id())).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> other.batches().cancel(fits.id())).isInstanceOf(NotFoundException.class);
            assertThat(other.batches().list().data()).isEmpty();
            assertThat(acme.batches().list().data()).extracting(Batch::id).containsExactly(fits.id());
            assertThat(awaitEnd(acme, fits.id()).status()).isEqualTo(Batch.Status.COMPLETED);
            assertThat(sluice.simulator.batchesSubmitted()).as("only the batch that fits went upstream").isEqualTo(1);
        }
    }
}
