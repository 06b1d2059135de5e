package io.sluice.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.sluice.app.Gateway;
import io.sluice.app.config.ConfigLoader;
import io.sluice.app.config.GatewaySettings;
import io.sluice.domain.ModelSpec;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's examples, compiled and run against a real gateway on the embedded defaults. */
class QuickstartDocsTest {
    private static final Path SOURCE = Path.of("src/test/java/io/sluice/docs/QuickstartDocsTest.java");
    private static final Path README = Snippets.REPO.resolve("README.md");

    @TempDir
    Path data;

    @Test
    void theOpenAiSdkExampleRunsAgainstSluice() throws Exception {
        GatewaySettings settings = ConfigLoader.load(Optional.empty(), Map.of(),
                Map.of("sluice.server.port", "0", "sluice.storage.embedded.path", data.toString()));
        try (Gateway gateway = Gateway.start(settings)) {
            String baseUrl = gateway.baseUrl();
            StringBuilder printed = new StringBuilder();
            // tag::openai-sdk[]
            OpenAIClient client = OpenAIOkHttpClient.builder()
                    .baseUrl(baseUrl)                 // e.g. http://127.0.0.1:8080/v1: the only change
                    .apiKey("unused-until-gateway-keys")
                    .build();
            ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                    .model("gpt-4o-mini")
                    .addSystemMessage("You are a support agent.")
                    .addUserMessage("Where is my parcel?")
                    .build();

            ChatCompletion completion = client.chat().completions().create(params);
            printed.append(completion.choices().getFirst().message().content().orElse(""));

            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
                stream.stream().flatMap(chunk -> chunk.choices().stream())
                        .forEach(choice -> choice.delta().content().ifPresent(printed::append));
            }
            // end::openai-sdk[]
            client.close();
            String answer = completion.choices().getFirst().message().content().orElseThrow();
            assertThat(printed.toString()).isEqualTo(answer + answer);
        }
        assertThat(Snippets.inMarkdown(README, "openai-sdk")).isEqualTo(Snippets.region(SOURCE, "openai-sdk"));
    }

    @Test
    void theExampleConfigIsValidAndItsModelsArePricedByItOrByTheCatalog() throws Exception {
        Path example = Snippets.REPO.resolve("sluice.example.yaml");
        GatewaySettings settings = ConfigLoader.load(Optional.of(example), Map.of(), Map.of());

        Map<String, ModelSpec> models = new java.util.HashMap<>();
        settings.models().forEach(m -> models.put(m.name(), m));
        assertThat(models.get("gpt-4o").prices().inputPerMillion()).as("a configured price wins").isEqualByComparingTo("2.25");
        assertThat(models.get("gpt-4o").prices().source()).isEqualTo("config");
        for (String model : new String[] {"gpt-4.1", "gpt-4.1-mini", "claude-sonnet-4.5", "gemini-2.5-flash", "deepseek-v3.2"}) {
            assertThat(models.get(model).prices().source()).as(model).startsWith("catalog ");
            assertThat(models.get(model).prices().inputPerMillion()).as(model).isPositive();
        }
        assertThat(models.get("gpt-4.1-mini").prices().inputPerMillion()).isEqualByComparingTo(new BigDecimal("0.40"));
        assertThat(models.get("claude-sonnet-4.5").contextWindow()).as("the catalog's window").isEqualTo(200_000);
        assertThat(Files.readString(example)).contains("${OPENAI_API_KEY:}");
    }
}
