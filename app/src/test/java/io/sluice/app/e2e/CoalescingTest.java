package io.sluice.app.e2e;

import static io.sluice.app.e2e.CachingGateway.cache;
import static io.sluice.app.e2e.CachingGateway.content;
import static io.sluice.app.e2e.CachingGateway.question;
import static io.sluice.app.e2e.CachingGateway.streamedContent;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testkit.simulator.SimulatorConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identical calls in flight at the same time go upstream once: every caller is answered (plain or streamed) and
 * billed as its own call; an upstream failure reaches them all; a leader whose client leaves hands the flight on.
 */
class CoalescingTest {
    private static final int CALLS = 50;

    @TempDir
    Path dir;

    private static List<HttpResponse<String>> all(int n, Callable<HttpResponse<String>> call) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) futures.add(pool.submit(call));
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> f : futures) answers.add(f.get());
            return answers;
        }
    }

    @Test
    void fiftyIdenticalCallsAtOnceMakeOneUpstreamCallAndEveryOneIsAnsweredAndBilled() throws Exception {
        try (CachingGateway sluice = new CachingGateway(dir, "")) {
            sluice.simulator.configure(SimulatorConfig.ofDefaults().withLatency(Duration.ofMillis(1500)));
            String key = sluice.key("acme");
            String body = question("Is there an outage right now?");
            List<HttpResponse<String>> answers = all(CALLS, () -> sluice.chat(key, body));
            assertThat(sluice.simulator.stats().requests()).isEqualTo(1);
            String expected = content(answers.getFirst());
            for (HttpResponse<String> a : answers) {
                assertThat(a.statusCode()).as(a.body()).isEqualTo(200);
                assertThat(content(a)).isEqualTo(expected);
            }
            assertThat(answers).extracting(CachingGateway::cache).filteredOn("miss"::equals).hasSize(1);
            assertThat(answers).extracting(a -> a.headers().firstValue("x-request-id").orElseThrow()).doesNotHaveDuplicates();
            assertThat(sluice.outcomes("acme", CALLS)).hasSize(CALLS).filteredOn("OK"::equals).hasSize(1);
            assertThat(sluice.outcomes("acme")).filteredOn("CACHE_HIT"::equals).hasSize(CALLS - 1);
        }
    }

    @Test
    void fiftyIdenticalStreamsAtOnceMakeOneUpstreamCallAndEveryStreamIsWhole() throws Exception {
        try (CachingGateway sluice = new CachingGateway(dir, "")) {
            sluice.simulator.configure(SimulatorConfig.ofDefaults().withStreamTiming(Duration.ofMillis(800), Duration.ofMillis(20)));
            String key = sluice.key("acme");
            String body = question("Why was I charged twice?").replace("{\"model\"", "{\"stream\":true,\"model\"");
            List<HttpResponse<String>> streams = all(CALLS, () -> sluice.chat(key, body));
            assertThat(sluice.simulator.stats().requests()).isEqualTo(1);
            String expected = streamedContent(streams.getFirst().body());
            assertThat(expected).isNotBlank();
            for (HttpResponse<String> s : streams) {
                assertThat(s.statusCode()).isEqualTo(200);
                assertThat(s.body()).endsWith("data: [DONE]\n\n");
                assertThat(streamedContent(s.body())).isEqualTo(expected);
            }
            assertThat(sluice.outcomes("acme", CALLS)).hasSize(CALLS).filteredOn("CACHE_HIT"::equals).hasSize(CALLS - 1);
        }
    }

    @Test
    void anUpstreamFailureReachesEveryCallThatWaitedOnIt() throws Exception {
        try (CachingGateway sluice = new CachingGateway(dir, "")) {
            String key = sluice.key("acme");
            // every attempt fails at once; the leader's retries (the deep tier's, with backoff) keep it in flight while
            // the others arrive
            String body = question("Refund status [sim:503]");
            List<HttpResponse<String>> answers = all(CALLS, () -> sluice.chat(key, body, "X-SLA-Tier", "deep"));
            assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(answers.getFirst().statusCode());
            assertThat(answers.getFirst().statusCode()).isIn(502, 503);
            assertThat(answers.getFirst().body()).contains("\"error\"");
            assertThat(sluice.simulator.stats().requests()).as("one call's attempts went upstream").isBetween(2L, 6L);
            assertThat(sluice.outcomes("acme")).as("nothing was delivered, nothing billed").isEmpty();
        }
    }

    @Test
    void whenTheLeadersClientLeavesTheOthersGoUpstreamTogether() throws Exception {
        try (CachingGateway sluice = new CachingGateway(dir, "")) {
            sluice.simulator.configure(SimulatorConfig.ofDefaults().withLatency(Duration.ofMillis(1500))
                    .withStreamTiming(Duration.ofMillis(300), Duration.ofMillis(200)));
            String key = sluice.key("acme");
            String text = "My parcel was left at the wrong door and the driver did not ring the bell";
            String streamed = question(text).replace("{\"model\"", "{\"stream\":true,\"model\"");
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<Integer> leader = pool.submit(() -> RawHttp.streamThenHangUp(sluice.gateway.port(), streamed, 2, "Authorization", "Bearer " + key));
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sluice.simulator.stats().requests() == 1);
                List<Future<HttpResponse<String>>> followers = new ArrayList<>();
                for (int i = 0; i < 10; i++) followers.add(pool.submit(() -> sluice.chat(key, question(text))));
                assertThat(leader.get()).isEqualTo(2);
                for (Future<HttpResponse<String>> f : followers) {
                    HttpResponse<String> answer = f.get();
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                    assertThat(cache(answer)).isIn("miss", "hit");
                }
            }
            assertThat(sluice.simulator.stats().requests()).as("the leader's, then one for the ten").isEqualTo(2);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sluice.outcomes("acme").size() == 11);
            assertThat(sluice.outcomes("acme")).containsOnly("CANCELLED", "OK", "CACHE_HIT").filteredOn("CACHE_HIT"::equals).hasSize(9);
        }
    }
}
