package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.http.server.GatewayServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * On a fixed port, as deployed, the gateway listens on one event loop per core. It once created its listeners from
 * one thread, whose Vert.x context is always the same one, so every connection was served by a single core.
 */
class ListenersTest {
    @Test
    void aGatewayOnAFixedPortListensOnAnEventLoopPerCoreAndServesConnectionsOnAllOfThem() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (TestGateway sluice = TestGateway.onPostgresAtPort(port)) {
            int cores = Runtime.getRuntime().availableProcessors();
            assertThat(sluice.gateway.injector().getInstance(GatewayServer.class).listenerThreads())
                    .as("one listener on each of %d event loops", cores).hasSize(cores).allMatch(name -> name.startsWith("vert.x-eventloop-thread-"));

            // a client of its own per call: each call comes on a connection of its own, handed to the listeners in turn
            List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, 4 * cores).mapToObj(i -> HttpClient.newHttpClient()
                    .sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions")).timeout(Duration.ofSeconds(20))
                            .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(TestGateway.chat("hello " + i)))
                            .build(), HttpResponse.BodyHandlers.ofString())).toList();
            for (CompletableFuture<HttpResponse<String>> call : calls) assertThat(call.join().statusCode()).isEqualTo(200);
        }
    }
}
