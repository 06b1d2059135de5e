package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.app.Gateway;
import io.sluice.app.config.ConfigLoader;
import io.sluice.domain.Prices;
import io.sluice.domain.Usage;
import io.sluice.engine.models.ModelCatalog;
import io.sluice.jdbc.StorageSettings;
import io.sluice.testkit.db.PostgresTestSchema;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prices from the model catalog: a model nobody configured a price for (pass-through, or configured without prices)
 * is billed at the catalog's price and the ledger names that source; a configured price wins; a model nobody priced
 * costs nothing, says so, and is refused when prices are required; {@code /v1/models} shows what the gateway knows;
 * each answer says what it cost, and a stored conversation what it has cost so far.
 */
class ModelPricesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private Gateway start(PostgresTestSchema schema, Simulator simulator, String extra) throws Exception {
        Path file = Files.writeString(dir.resolve("sluice.yaml"), """
                sluice:
                  server: {port: 0}
                  storage:
                    type: postgres
                    postgres: {url: "%s", user: "%s"}
                  providers:
                    sim: {type: openai, base-url: "%s", api-key: sk-sim-secret}
                  passthrough-provider: sim
                  models:
                    support-bot: {provider: sim, upstream-name: gpt-4o-mini}
                    gpt-4o: {provider: sim, input-price: 1, output-price: 2}
                %s""".formatted(schema.jdbcUrl(), schema.user(), simulator.baseUrl(), extra));
        return Gateway.start(ConfigLoader.load(Optional.of(file), Map.of(), Map.of()));
    }

    private HttpResponse<String> chat(Gateway gateway, String model, String user, String... headers) throws Exception {
        String body = "{\"model\":\"" + model + "\",\"user\":\"" + user + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Where is my parcel?\"}]}";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/chat/completions")).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) request.headers(headers);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static StorageSettings storage(PostgresTestSchema schema) {
        return new StorageSettings(StorageSettings.Dialect.POSTGRESQL, schema.jdbcUrl(), schema.user(), schema.password(), 1);
    }

    @Test
    void aModelWithoutAConfiguredPriceIsBilledAtTheCatalogsAndTheLedgerSaysSo() throws Exception {
        try (PostgresTestSchema schema = new PostgresTestSchema(); Simulator simulator = new Simulator(SimulatorConfig.ofDefaults())) {
            simulator.start(0);
            Gateway gateway = start(schema, simulator, "");
            Map<String, JsonNode> usage = new java.util.HashMap<>();
            Map<String, BigDecimal> answeredCost = new java.util.HashMap<>();
            try {
                for (String[] call : new String[][] {{"gpt-4o-mini-2024-07-18", "u-passthrough"}, {"support-bot", "u-configured"},
                        {"gpt-4o", "u-priced"}, {"acme-finetune-7", "u-unpriced"}}) {
                    HttpResponse<String> answer = chat(gateway, call[0], call[1]);
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                    usage.put(call[1], JSON.readTree(answer.body()).path("usage"));
                    answeredCost.put(call[1], new BigDecimal(answer.headers().firstValue("X-Sluice-Cost").orElseThrow()));
                }
                HttpResponse<String> first = chat(gateway, "support-bot", "u-conversation", "X-Conversation-Id", "new");
                String conversation = first.headers().firstValue("X-Conversation-Id").orElseThrow();
                HttpResponse<String> second = chat(gateway, "gpt-4o", "u-conversation", "X-Conversation-Id", conversation);
                BigDecimal spent = new BigDecimal(first.headers().firstValue("X-Sluice-Cost").orElseThrow())
                        .add(new BigDecimal(second.headers().firstValue("X-Sluice-Cost").orElseThrow()));
                String streamed = "{\"model\":\"support-bot\",\"user\":\"u-stream\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
                String events = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/chat/completions")).header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(streamed)).build(), HttpResponse.BodyHandlers.ofString()).body();
                java.util.regex.Matcher comment = java.util.regex.Pattern.compile("\n: x-sluice-cost (\\S+)\n\ndata: \\[DONE]\n\n$").matcher(events);
                assertThat(comment.find()).as("a stream ends with its cost as an SSE comment: %s", events).isTrue();
                answeredCost.put("u-stream", new BigDecimal(comment.group(1)));
                JsonNode stats = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/conversations/" + conversation)).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).path("stats");
                assertThat(new BigDecimal(stats.path("total_cost_usd").asText())).as("the conversation's running cost").isEqualByComparingTo(spent)
                        .isPositive();
                JsonNode models = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/models")).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).path("data");
                JsonNode bot = null;
                for (JsonNode m : models) if (m.path("id").asText().equals("support-bot")) bot = m;
                assertThat(bot).isNotNull();
                assertThat(bot.path("pricing").path("input").decimalValue()).isEqualByComparingTo("0.15");
                assertThat(bot.path("pricing").path("source").asText()).startsWith("catalog ");
                assertThat(bot.path("context_window").asInt()).isEqualTo(128_000);
            } finally {
                gateway.close();
            }
            Prices catalog = ModelCatalog.builtIn().find("gpt-4o-mini").orElseThrow().prices();
            for (String user : new String[] {"u-passthrough", "u-configured"}) {
                var row = Sql.rows(storage(schema), "SELECT cost, price_source FROM usage_ledger WHERE end_user = ?", user).getFirst();
                JsonNode u = usage.get(user);
                assertThat((BigDecimal) row.get("cost")).as(user).isEqualByComparingTo(
                        catalog.cost(new Usage(u.path("prompt_tokens").asInt(), u.path("completion_tokens").asInt(), 0)));
                assertThat((BigDecimal) row.get("cost")).isPositive();
                assertThat(row.get("price_source")).isEqualTo(catalog.source());
                assertThat(answeredCost.get(user)).as("X-Sluice-Cost is what the ledger billed").isEqualByComparingTo((BigDecimal) row.get("cost"));
            }
            var stream = Sql.rows(storage(schema), "SELECT cost FROM usage_ledger WHERE end_user = ?", "u-stream").getFirst();
            assertThat(answeredCost.get("u-stream")).as("the stream's cost is what the ledger billed").isEqualByComparingTo((BigDecimal) stream.get("cost"))
                    .isPositive();
            var priced = Sql.rows(storage(schema), "SELECT cost, price_source FROM usage_ledger WHERE end_user = ?", "u-priced").getFirst();
            JsonNode u = usage.get("u-priced");
            assertThat((BigDecimal) priced.get("cost")).as("the configured price wins").isEqualByComparingTo(
                    Prices.of("1", "2").cost(new Usage(u.path("prompt_tokens").asInt(), u.path("completion_tokens").asInt(), 0)));
            assertThat(priced.get("price_source")).isEqualTo("config");
            var unpriced = Sql.rows(storage(schema), "SELECT cost, price_source FROM usage_ledger WHERE end_user = ?", "u-unpriced").getFirst();
            assertThat((BigDecimal) unpriced.get("cost")).isZero();
            assertThat(unpriced.get("price_source")).as("a model nobody priced, visibly").isEqualTo("none");
        }
    }

    @Test
    void withPricesRequiredAModelNobodyPricedIsRefusedAndNothingGoesUpstream() throws Exception {
        try (PostgresTestSchema schema = new PostgresTestSchema(); Simulator simulator = new Simulator(SimulatorConfig.ofDefaults())) {
            simulator.start(0);
            Gateway gateway = start(schema, simulator, "  pricing: {require: true}\n");
            try {
                HttpResponse<String> refused = chat(gateway, "acme-finetune-7", "u1");
                assertThat(refused.statusCode()).isEqualTo(400);
                JsonNode error = JSON.readTree(refused.body()).path("error");
                assertThat(error.path("code").asText()).isEqualTo("model_not_priced");
                assertThat(error.path("param").asText()).isEqualTo("model");
                assertThat(simulator.stats().requests()).isZero();
                assertThat(chat(gateway, "gpt-4o-mini", "u2").statusCode()).as("the catalog prices it").isEqualTo(200);
            } finally {
                gateway.close();
            }
            assertThatThrownBy(() -> start(schema, simulator, "    acme-finetune-7: {provider: sim}\n  pricing: {require: true}\n"))
                    .hasMessageContaining("sluice.models.\"acme-finetune-7\".input-price").hasMessageContaining("no price");
        }
    }
}
