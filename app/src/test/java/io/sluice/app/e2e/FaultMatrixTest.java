package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.app.config.RoutingSettings;
import io.sluice.app.config.SlaSettings;
import io.sluice.domain.routing.ChainLink;
import io.sluice.domain.routing.Complexity;
import io.sluice.domain.routing.ComplexityClassifier;
import io.sluice.domain.routing.Deployment;
import io.sluice.domain.routing.RouteSpec;
import io.sluice.testkit.simulator.Fault;
import io.sluice.testkit.simulator.Simulator;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The fault matrix: 20% 429s, 5% 5xx and 2% hangs on every live endpoint, one of three endpoints down, a
 * chain of two models; at least 99.5% of 2,000 calls must succeed, each within its tier's deadline.
 */
class FaultMatrixTest {
    private static final int CALLS = Integer.getInteger("faultMatrix.calls", 2_000);
    private static final int IN_FLIGHT = Integer.getInteger("faultMatrix.inFlight", 16);
    private static final int KEYS = Integer.getInteger("faultMatrix.keys", 8);

    @Test
    void atLeast995PercentOf2000CallsSucceed() throws Exception {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        for (String endpoint : List.of("a", "b", "c")) {
            keys.put(endpoint, IntStream.rangeClosed(1, KEYS).mapToObj(i -> "sk-" + endpoint + i).toList());
        }
        RouteSpec support = new RouteSpec("support", List.of(new Deployment("default", 1, List.of(new ChainLink("big", Complexity.COMPLEX),
                new ChainLink("small", Complexity.SIMPLE)))), Optional.empty(), Optional.empty());
        SlaSettings sla = SlaSettings.ofDefaults().withRouting(new RoutingSettings(List.of(support), ComplexityClassifier.DEFAULTS,
                RoutingSettings.DEFAULT_TIERS));
        try (SlaGateway sluice = new SlaGateway(keys, Duration.ofMillis(700), sla,
                Map.of("big", List.of("a", "b", "c"), "small", List.of("b", "a", "c")));
             ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT)) {
            sluice.simulator("c").close(); // down: connections are refused
            for (String live : List.of("a", "b")) {
                Simulator sim = sluice.simulator(live);
                sim.configure(sim.config().withFaultRate(Fault.RATE_LIMIT, 0.20).withFaultRate(Fault.SERVER_ERROR, 0.05)
                        .withFaultRate(Fault.HANG, 0.02));
            }

            List<Future<Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                String text = "Please analyze why order " + i + " was charged twice";
                futures.add(pool.submit(() -> {
                    long start = System.nanoTime();
                    HttpResponse<String> r = sluice.chatTo("support", null, text, false);
                    return new Outcome(r.statusCode(), r.headers().firstValue("X-Sluice-Model").orElse("-"),
                            Duration.ofNanos(System.nanoTime() - start).toMillis(), r.statusCode() == 200 ? "" : r.body());
                }));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) outcomes.add(f.get());

            long ok = outcomes.stream().filter(o -> o.status == 200).count();
            Map<String, Long> byStatus = new TreeMap<>();
            outcomes.forEach(o -> byStatus.merge(o.status + " " + o.model, 1L, Long::sum));
            long slowest = outcomes.stream().mapToLong(o -> o.millis).max().orElse(0);
            System.out.printf("fault matrix: %d of %d calls succeeded (%.2f%%), %d in flight, %d keys per endpoint; by status and model %s; "
                    + "slowest %d ms; failures %s%n", ok, CALLS, 100.0 * ok / CALLS, IN_FLIGHT, KEYS, byStatus, slowest,
                    outcomes.stream().filter(o -> o.status != 200).map(o -> o.millis + "ms " + o.body).limit(5).toList());
            assertThat(ok).as("calls that succeeded: %s", byStatus).isGreaterThanOrEqualTo((long) Math.ceil(CALLS * 0.995));
            assertThat(slowest).as("no call past the deep tier's 8 s deadline, plus tolerance").isLessThan(8_500);
        }
    }

    private record Outcome(int status, String model, long millis, String body) {}
}
