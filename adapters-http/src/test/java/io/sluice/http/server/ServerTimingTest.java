package io.sluice.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.ports.in.CallTimings;
import org.junit.jupiter.api.Test;

class ServerTimingTest {
    @Test
    void anAnswerSplitsItsTimeIntoUpstreamStoreAndTheGatewaysRest() {
        String header = ServerTiming.answer(53_456_789, new CallTimings(50_000_000, 1_002_000));

        assertThat(header).isEqualTo("upstream;dur=50.000, store;dur=1.002, gateway;dur=3.456");
    }

    @Test
    void millisecondsKeepTheirLeadingZerosAndNeverGoNegative() {
        assertThat(ServerTiming.firstChunk(7_000, 120_999)).isEqualTo("upstream;dur=0.007, gateway;dur=0.120");
        assertThat(ServerTiming.answer(1_000, new CallTimings(2_000, 0))).endsWith("gateway;dur=0.000");
    }

    @Test
    void aStreamsFirstChunkIsTimedOnlyOnceItsUpstreamAnswered() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        java.util.concurrent.CompletableFuture<io.sluice.ports.in.ServedBy> servedBy = new java.util.concurrent.CompletableFuture<>();
        ServerTiming.FirstChunk timing = new ServerTiming.FirstChunk(System.nanoTime(), servedBy, new GatewayMetrics(registry));

        assertThat(timing.written()).isNull();
        servedBy.complete(new io.sluice.ports.in.ServedBy("gpt-4o-mini", "sim", 0));
        assertThat(timing.written()).matches("upstream;dur=\\d+\\.\\d{3}, gateway;dur=\\d+\\.\\d{3}");
        assertThat(registry.get("sluice.gateway.overhead").tag("until", "first_chunk").timer().count()).isEqualTo(1);
    }
}
