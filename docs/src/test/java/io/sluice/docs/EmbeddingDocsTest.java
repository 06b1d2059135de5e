package io.sluice.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.multibindings.Multibinder;
import io.sluice.app.Gateway;
import io.sluice.app.config.ConfigLoader;
import io.sluice.app.config.GatewaySettings;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.engine.ChatService;
import io.sluice.engine.memory.ContextDefaults;
import io.sluice.engine.models.ModelRegistry;
import io.sluice.engine.memory.SummaryPolicy;
import io.sluice.engine.cache.LocalContextCache;
import io.sluice.engine.semantic.LexicalEmbedder;
import io.sluice.engine.semantic.SemanticRecall;
import io.sluice.engine.tokens.JtokkitTokenCounter;
import io.sluice.http.openai.OpenAiProviderFactory;
import io.sluice.jdbc.JdbcStorage;
import io.sluice.jdbc.StorageSettings;
import io.sluice.ports.in.Caller;
import io.sluice.ports.in.ChatCall;
import io.sluice.ports.in.ChatCompletions;
import io.sluice.ports.in.ChatResult;
import io.sluice.ports.in.ConversationRef;
import io.sluice.ports.out.ConversationStore;
import io.sluice.ports.out.LlmProvider;
import io.sluice.ports.out.LlmProviderFactory;
import io.sluice.ports.out.ProviderEnvironment;
import io.sluice.ports.out.ProviderSettings;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/embedding.md's examples, compiled and run against the simulator. */
class EmbeddingDocsTest {
    private static final Path SOURCE = Path.of("src/test/java/io/sluice/docs/EmbeddingDocsTest.java");
    private static final Path DOC = Snippets.REPO.resolve("docs/embedding.md");

    @TempDir
    Path data;

    @Test
    void theEngineRunsInsideAnApplicationWithItsConversationMemory() throws Exception {
        try (Simulator upstream = new Simulator(SimulatorConfig.ofDefaults())) {
            upstream.start(0);
            String upstreamBaseUrl = upstream.baseUrl();
            String apiKey = "sk-test";
            String dataDir = data.toString();
            // tag::engine[]
            // 1. Upstreams: any LlmProvider, built-in or from a plugin's factory
            LlmProvider openai = new OpenAiProviderFactory().create(new ProviderSettings("openai", "openai", upstreamBaseUrl, apiKey,
                    Duration.ofSeconds(60), 100, Map.of()), ProviderEnvironment.EMPTY);
            ModelRegistry models = new ModelRegistry(Map.of("openai", openai),
                    List.of(new ModelSpec("gpt-4o-mini", "openai", "gpt-4o-mini", 128_000, Encoding.O200K_BASE, Prices.FREE)),
                    Optional.empty(), Encoding.O200K_BASE);

            // 2. Memory: conversations in your database (H2 here, PostgreSQL in production), a context cache in process
            JdbcStorage storage = JdbcStorage.open(StorageSettings.embedded(dataDir));
            ConversationStore store = storage.conversations(new ObjectMapper());
            ChatCompletions chat = ChatService.builder(models, store, new JtokkitTokenCounter())
                    .contextCache(new LocalContextCache(Duration.ofHours(1), 64L << 20)).build();

            // 3. Call it from your code, no HTTP hop: the engine keeps the conversation and builds each context
            Caller customer = new Caller("my-app", "customer-42");
            ChatResult first = chat.complete(new ChatCall(customer, ConversationRef.NEW,
                    new ChatRequest("gpt-4o-mini", List.of(ChatMessage.user("Where is my parcel?")), null))).toCompletableFuture().join();
            ChatResult second = chat.complete(new ChatCall(customer, ConversationRef.existing(first.conversationId().orElseThrow()),
                    new ChatRequest("gpt-4o-mini", List.of(ChatMessage.user("When will it arrive?")), null))).toCompletableFuture().join();
            System.out.println(second.response().message().content());
            storage.close();
            openai.close();
            // end::engine[]
            assertThat(second.conversationId()).isEqualTo(first.conversationId());
            List<String> sent = upstream.recentRequests().getLast().path("messages").findValuesAsText("content");
            assertThat(sent).as("the second call carried the first turn").containsSequence("Where is my parcel?",
                    first.response().message().content(), "When will it arrive?");
        }
        assertThat(Snippets.inMarkdown(DOC, "engine")).isEqualTo(Snippets.region(SOURCE, "engine"));
    }

    @Test
    void theWholeServiceStartsWithYourOwnBindings() throws Exception {
        LlmProviderFactory myFactory = new OpenAiProviderFactory();
        GatewaySettings settings = ConfigLoader.load(Optional.empty(), Map.of(),
                Map.of("sluice.server.port", "0", "sluice.storage.embedded.path", data.toString()));
        // tag::service[]
        // the standalone service's composition root, plus a module of your own: here a provider factory
        // registered in code instead of through META-INF/services
        Gateway gateway = Gateway.start(settings, binder -> Multibinder.newSetBinder(binder, LlmProviderFactory.class)
                .addBinding().toInstance(myFactory));
        // gateway.baseUrl() now serves the OpenAI-compatible API; gateway.injector() hands out any part of it
        // end::service[]
        try (gateway) {
            HttpResponse<String> models = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/models")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(models.statusCode()).isEqualTo(200);
            assertThat(gateway.injector().getInstance(ChatCompletions.class)).isInstanceOf(ChatService.class);
        }
        assertThat(Snippets.inMarkdown(DOC, "service")).isEqualTo(Snippets.region(SOURCE, "service"));
    }
}
