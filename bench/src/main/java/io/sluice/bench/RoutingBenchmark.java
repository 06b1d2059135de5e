package io.sluice.bench;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.routing.ChainLink;
import io.sluice.domain.routing.Complexity;
import io.sluice.domain.routing.ComplexityClassifier;
import io.sluice.domain.routing.Deployment;
import io.sluice.domain.routing.RouteSpec;
import io.sluice.engine.routing.Router;
import io.sluice.engine.routing.Routing;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One routing decision: classify the call's complexity (EN/VI keywords and length), pick the canary deployment
 * sticky by user, and the place in its degradation chain. Run: {@code bench/jmh Routing}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoutingBenchmark {
    private final Router router = new Router(List.of(new RouteSpec("support", List.of(
                    new Deployment("stable", 90, List.of(new ChainLink("gpt-4.1", Complexity.COMPLEX), new ChainLink("gpt-4.1-mini", Complexity.MODERATE),
                            new ChainLink("gpt-4o-mini", Complexity.SIMPLE))),
                    new Deployment("canary", 10, List.of(new ChainLink("claude-sonnet-4.5", Complexity.COMPLEX), new ChainLink("gpt-4o-mini", Complexity.SIMPLE)))),
            Optional.empty(), Optional.empty())), ComplexityClassifier.DEFAULTS, Map.of());
    private final List<ChatMessage> messages = List.of(ChatMessage.system("You are the support assistant of an online shop."),
            ChatMessage.user("Xin chào, đơn hàng 1234 của tôi bị trễ. Could you explain why it is late and compare the delivery options?"));
    private int user;

    @Benchmark
    public Optional<Routing> routeACall() {
        return router.route("support", "user-" + (user++ & 1023), messages);
    }
}
