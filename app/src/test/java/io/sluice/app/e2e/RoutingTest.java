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
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Degradation chains, the complexity classifier and canary splits, over real HTTP against simulators. */
class RoutingTest {
    /**
     * "support": big (complex) then small (simple); "split": stable on big, canary on small, 90/10, in the deep tier
     * (its "hello" calls would otherwise be simple, hence fast: a 1 s deadline that a loaded CI machine can miss).
     */
    private static SlaGateway gateway() throws Exception {
        List<ChainLink> chain = List.of(new ChainLink("big", Complexity.COMPLEX), new ChainLink("small", Complexity.SIMPLE));
        RouteSpec support = new RouteSpec("support", List.of(new Deployment("default", 1, chain)), Optional.empty(), Optional.empty());
        RouteSpec split = new RouteSpec("split", List.of(new Deployment("stable", 90, List.of(new ChainLink("big", Complexity.COMPLEX))),
                new Deployment("canary", 10, List.of(new ChainLink("small", Complexity.COMPLEX)))), Optional.of("deep"), Optional.empty());
        SlaSettings sla = SlaSettings.ofDefaults().withRouting(new RoutingSettings(List.of(support, split), ComplexityClassifier.DEFAULTS,
                RoutingSettings.DEFAULT_TIERS));
        Map<String, List<String>> keys = new java.util.LinkedHashMap<>();
        keys.put("a", List.of("sk-a"));
        keys.put("b", List.of("sk-b"));
        return new SlaGateway(keys, Duration.ofSeconds(5), sla, Map.of("big", List.of("a"), "small", List.of("b")));
    }

    private static final String COMPLEX = "Please analyze why my last three invoices were charged twice and what I should do about it";

    @Test
    void theClassifierPicksWhereInTheChainACallStartsInEnglishAndVietnamese() throws Exception {
        try (SlaGateway sluice = gateway()) {
            assertServedBy(sluice.chatTo("support", null, "hi there!", false), "small", 0);
            assertServedBy(sluice.chatTo("support", null, COMPLEX, false), "big", 0);
            assertServedBy(sluice.chatTo("support", null, "Giải thích tại sao hóa đơn tháng này của tôi bị tính hai lần", false), "big", 0);
            assertServedBy(sluice.chatTo("support", null, "cảm ơn bạn nhiều nhé, mình đã nhận được hàng rồi, mọi thứ đều ổn cả!", false), "small", 0);
        }
    }

    @Test
    void aFailingModelFallsToTheNextOfTheChainAndTheResponseSaysWhichServed() throws Exception {
        try (SlaGateway sluice = gateway()) {
            sluice.simulator("a").configure(sluice.simulator("a").config().withFaultRate(Fault.SERVER_ERROR, 1.0));

            int opensAfter = io.sluice.domain.sla.CircuitSettings.DEFAULTS.minimumCalls(); // every attempt to it fails
            for (int i = 0; i < opensAfter + 4; i++) {
                HttpResponse<String> response = sluice.chatTo("support", null, COMPLEX + " " + i, false);
                assertServedBy(response, "small", 1);
                assertThat(response.body()).contains("\"model\":\"small\"");
            }
            assertThat(sluice.simulator("a").stats().requests()).as("the open circuit takes no more calls").isEqualTo(opensAfter);

            HttpResponse<String> stream = sluice.chatTo("support", null, COMPLEX, true);
            assertServedBy(stream, "small", 1);
            assertThat(stream.body()).contains("\"model\":\"small\"").endsWith("data: [DONE]\n\n");
        }
    }

    @Test
    void aTimeWindowServesTheRouteWithItsOwnChainWhileItLasts() throws Exception {
        List<ChainLink> chain = List.of(new ChainLink("big", Complexity.COMPLEX), new ChainLink("small", Complexity.SIMPLE));
        var allDay = new io.sluice.domain.routing.TimeWindow("all-day", java.util.Set.of(), 0, 24 * 3600,
                Optional.of(List.of(new ChainLink("small", Complexity.COMPLEX))), Optional.of("normal"), Map.of());
        RouteSpec support = new RouteSpec("support", List.of(new Deployment("default", 1, chain)), Optional.empty(), Optional.empty(),
                java.time.ZoneId.of("Asia/Ho_Chi_Minh"), List.of(allDay));
        SlaSettings sla = SlaSettings.ofDefaults().withRouting(new RoutingSettings(List.of(support), ComplexityClassifier.DEFAULTS,
                RoutingSettings.DEFAULT_TIERS));
        Map<String, List<String>> keys = new java.util.LinkedHashMap<>();
        keys.put("a", List.of("sk-a"));
        keys.put("b", List.of("sk-b"));
        try (SlaGateway sluice = new SlaGateway(keys, Duration.ofSeconds(5), sla, Map.of("big", List.of("a"), "small", List.of("b")))) {
            assertServedBy(sluice.chatTo("support", null, COMPLEX, false), "small", 0);
            assertServedBy(sluice.chatTo("support", null, COMPLEX, true), "small", 0);
            assertThat(sluice.simulator("a").stats().requests()).isZero();
            assertThat(sluice.get("/admin/routes").body()).contains("\"active_window\":\"all-day\"");
        }
    }

    @Test
    void aCanarySplitHoldsItsWeightsIsStickyByUserAndCanBeChangedAtRuntime() throws Exception {
        try (SlaGateway sluice = gateway(); ExecutorService pool = Executors.newFixedThreadPool(16)) {
            Map<String, Integer> served = countServed(sluice, pool, 10_000, i -> "user-" + i);
            double canaryShare = served.getOrDefault("small", 0) / 10_000.0;
            assertThat(canaryShare).as("the canary's 10% share, within 2 points").isBetween(0.08, 0.12);

            for (int u = 0; u < 20; u++) {
                String user = "returning-" + u;
                String first = sluice.chatTo("split", user, "hello again", false).headers().firstValue("X-Sluice-Model").orElseThrow();
                for (int i = 0; i < 5; i++) {
                    assertThat(sluice.chatTo("split", user, "hello " + i, false).headers().firstValue("X-Sluice-Model")).contains(first);
                }
            }

            HttpResponse<String> changed = sluice.put("/admin/routes/split/weights", "{\"stable\": 0, \"canary\": 100}");
            assertThat(changed.statusCode()).isEqualTo(200);
            assertThat(changed.body()).contains("\"name\":\"canary\",\"weight\":100");
            assertThat(countServed(sluice, pool, 200, i -> "later-" + i)).containsOnlyKeys("small");

            String report = sluice.get("/admin/routes").body();
            assertThat(report).containsPattern("\"name\":\"stable\",\"weight\":0,\"chain\":\\[\"big\"],\"capabilities\":\\[\"complex\"],\"health\":\\{\"requests\":\\d{4},"
                    + "\"errors\":0,\"error_rate\":0.0,\"p50_ms\":[0-9.]+,\"p95_ms\":[0-9.]+}");

            assertThat(sluice.put("/admin/routes/split/weights", "{\"nope\": 5}").statusCode()).isEqualTo(400);
            assertThat(sluice.put("/admin/routes/split/weights", "{\"canary\": -1}").statusCode()).isEqualTo(400);
            assertThat(sluice.put("/admin/routes/split/weights", "{\"canary\": 0}").body()).contains("invalid_weight");
            assertThat(sluice.put("/admin/routes/nowhere/weights", "{\"canary\": 1}").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void routesAreListedAsModels() throws Exception {
        try (SlaGateway sluice = gateway()) {
            assertThat(sluice.get("/v1/models").body()).contains("\"id\":\"support\"").contains("\"id\":\"split\"");
        }
    }

    private static Map<String, Integer> countServed(SlaGateway sluice, ExecutorService pool, int calls,
                                                   java.util.function.IntFunction<String> user) throws Exception {
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            String u = user.apply(i);
            Callable<String> call = () -> {
                HttpResponse<String> r = sluice.chatTo("split", u, "hello", false);
                assertThat(r.statusCode()).isEqualTo(200);
                return r.headers().firstValue("X-Sluice-Model").orElseThrow();
            };
            results.add(pool.submit(call));
        }
        Map<String, Integer> counts = new HashMap<>();
        for (Future<String> f : results) counts.merge(f.get(), 1, Integer::sum);
        return counts;
    }

    private static void assertServedBy(HttpResponse<String> response, String model, int fallbacks) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Sluice-Model")).contains(model);
        assertThat(response.headers().firstValue("X-Sluice-Fallbacks")).contains(Integer.toString(fallbacks));
    }
}
