package io.sluice.http.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.ChatChunk;
import io.sluice.ports.out.LlmProvider;
import io.sluice.ports.out.ProviderEnvironment;
import io.sluice.ports.out.ProviderSettings;
import io.sluice.testkit.contract.LlmProviderContract;
import io.sluice.testkit.simulator.SimulatorConfig;
import io.vertx.core.http.HttpVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI-compatible adapter speaking HTTP/2 (clear text, prior knowledge) to the simulator: the whole provider
 * contract, and many streams open at once on a few connections.
 */
class OpenAiProviderOverHttp2Test extends LlmProviderContract {
    private static final int MAX_CONNECTIONS = 8;

    @Override
    protected LlmProvider create(io.sluice.testkit.simulator.Simulator simulator, Duration timeout) {
        return new OpenAiProviderFactory().create(new ProviderSettings("sim", "openai", simulator.baseUrl(), "sk-test", timeout,
                MAX_CONNECTIONS, Map.of(), ProviderSettings.HttpVersion.HTTP_2), ProviderEnvironment.EMPTY);
    }

    @Override
    protected boolean supportsEmbeddings() {
        return true;
    }

    @Test
    void callsAndStreamsTravelOverHttp2() {
        provider.complete(ask("Where is my order?")).toCompletableFuture().join();
        collect(provider.stream(ask("And my refund?")));

        assertThat(simulator.requests(HttpVersion.HTTP_2)).isEqualTo(2);
        assertThat(simulator.requests(HttpVersion.HTTP_1_1)).isZero();
    }

    @Test
    void threeHundredOpenStreamsShareAFewConnections() {
        // every stream stays open for about a second, so that all of them are open together
        simulator.configure(SimulatorConfig.ofDefaults().withStreamTiming(Duration.ofMillis(200), Duration.ofMillis(100)));
        List<CompletableFuture<Void>> streams = new ArrayList<>();
        List<List<ChatChunk>> received = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            List<ChatChunk> chunks = new ArrayList<>();
            CompletableFuture<Void> done = new CompletableFuture<>();
            provider.stream(ask("Where is order " + i + "?")).subscribe(subscriber(chunks, done));
            streams.add(done);
            received.add(chunks);
        }
        CompletableFuture.allOf(streams.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();

        assertThat(received).allSatisfy(chunks -> assertThat(chunks).isNotEmpty());
        assertThat(simulator.stats().served()).isEqualTo(300);
        // at most 100 streams a connection (the simulator's HTTP/2 setting): HTTP/1.1 would have needed 300; the streams
        // start on one event loop, whose pool may open its share of MAX_CONNECTIONS (LoopLocalClients)
        assertThat(simulator.connectionsOpened()).isBetween(3L, (long) MAX_CONNECTIONS);
    }
}
