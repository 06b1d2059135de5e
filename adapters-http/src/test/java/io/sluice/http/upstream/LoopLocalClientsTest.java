package io.sluice.http.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.ports.out.ProviderEnvironment;
import io.sluice.ports.out.ProviderSettings;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each event loop's calls go out, and come back, on connections of its own; against the simulator over real HTTP. */
class LoopLocalClientsTest {
    private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Where is my order?\"}]}";

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private final Simulator simulator = new Simulator(SimulatorConfig.ofDefaults().withLatency(Duration.ofMillis(20)));
    private final String url;

    LoopLocalClientsTest() {
        simulator.start(0);
        url = simulator.baseUrl() + "/chat/completions";
    }

    @AfterEach
    void close() {
        simulator.close();
        vertx.close().await();
    }

    @Test
    void aConnectionIsOpenedOnTheLoopWhoseCallAskedForIt() throws Exception {
        Map<String, Set<String>> openedOn = new ConcurrentHashMap<>(); // the asking loop's thread → threads its pool's connections opened on
        LoopLocalClients clients = new LoopLocalClients(vertx, vertx.createHttpClient(new HttpClientOptions()), () -> {
            String[] asker = new String[1];
            HttpClientAgent agent = vertx.httpClientBuilder().with(new HttpClientOptions()).with(new PoolOptions().setHttp1MaxSize(8))
                    .withConnectHandler(connection -> openedOn.computeIfAbsent(asker[0], a -> ConcurrentHashMap.newKeySet())
                            .add(Thread.currentThread().getName()))
                    .build();
            asker[0] = Thread.currentThread().getName();
            return agent;
        });
        List<Context> loops = twoLoops();
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            Context loop = loops.get(i % 2);
            CompletableFuture<Integer> answer = new CompletableFuture<>();
            loop.runOnContext(go -> clients.current().request(HttpMethod.POST, simulator.port(), "127.0.0.1", "/v1/chat/completions")
                    .compose(request -> request.putHeader("content-type", "application/json").send(BODY))
                    .compose(response -> response.body().map(body -> response.statusCode()))
                    .onComplete(ar -> { if (ar.succeeded()) answer.complete(ar.result()); else answer.completeExceptionally(ar.cause()); }));
            answers.add(answer);
        }
        for (CompletableFuture<Integer> answer : answers) assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo(200);

        Set<String> loopThreads = Set.of(threadOf(loops.get(0)), threadOf(loops.get(1)));
        assertThat(openedOn.keySet()).as("a pool for each loop that asked").isEqualTo(loopThreads);
        for (String loop : loopThreads) assertThat(openedOn.get(loop)).as("connections of %s's pool", loop).containsExactly(loop);
        assertThat(simulator.connectionsOpened()).as("concurrent calls on both loops opened connections of both").isGreaterThanOrEqualTo(2);
        clients.close();
    }

    @Test
    void aCallerOffAnyLoopSharesOnePoolAndEveryPoolIsClosedWithTheClient() throws Exception {
        List<HttpClientAgent> made = new ArrayList<>();
        Supplier<HttpClientAgent> create = () -> {
            HttpClientAgent agent = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions());
            synchronized (made) { made.add(agent); }
            return agent;
        };
        LoopLocalClients clients = new LoopLocalClients(vertx, create.get(), create);
        HttpClientAgent offLoop = clients.current();
        assertThat(clients.current()).isSameAs(offLoop);
        HttpClientAgent onWorker = vertx.executeBlocking(clients::current).await();
        assertThat(onWorker).as("a worker thread of this Vert.x is off any loop").isSameAs(offLoop);
        List<Context> loops = twoLoops();
        HttpClientAgent first = onLoop(loops.get(0), clients::current);
        assertThat(onLoop(loops.get(0), clients::current)).as("the same loop, the same pool").isSameAs(first);
        assertThat(onLoop(loops.get(1), clients::current)).isNotSameAs(first).isNotSameAs(offLoop);
        Vertx other = Vertx.vertx();
        try {
            assertThat(onLoop(other.getOrCreateContext(), clients::current)).as("another Vert.x's loop is not one of ours").isSameAs(offLoop);
        } finally {
            other.close().await();
        }
        assertThat(made).hasSize(3);

        clients.close();
        assertThat(onLoop(loops.get(0), clients::current)).as("no new pool once closed").isSameAs(offLoop);
        assertThat(made).hasSize(3);
        for (HttpClientAgent agent : made) {
            assertThatThrownBy(() -> agent.request(HttpMethod.GET, simulator.port(), "127.0.0.1", "/v1/models").await())
                    .as("closed with the client").isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aCallCalledOffFromALoopIsResetUpstreamAndItsLoopsPoolServesTheNext() throws Exception {
        simulator.configure(SimulatorConfig.ofDefaults().withLatency(Duration.ofSeconds(5)));
        UpstreamHttp upstream = UpstreamHttp.create(new ProviderSettings("sim", "openai", simulator.baseUrl(), "sk-test", Duration.ofSeconds(30), 4, Map.of()),
                withVertx());
        Context loop = twoLoops().get(0);
        CompletionStage<JsonNode> call = onLoop(loop, () -> upstream.post(url, Map.of(), BODY::getBytes, null, answer -> answer));
        await().atMost(Duration.ofSeconds(5)).until(() -> simulator.stats().requests() == 1);
        call.toCompletableFuture().cancel(true);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(simulator.abandoned()).as("the upstream stops working on it").isEqualTo(1));

        simulator.configure(SimulatorConfig.ofDefaults());
        CompletionStage<JsonNode> next = onLoop(loop, () -> upstream.post(url, Map.of(), BODY::getBytes, null, answer -> answer));
        assertThat(next.toCompletableFuture().get(10, TimeUnit.SECONDS).path("object").asText()).isEqualTo("chat.completion");
        upstream.close();
    }

    @Test
    void theConnectionLimitIsSplitAmongTheListenerLoopsRoundedUp() {
        assertThat(UpstreamHttp.eachLoop(200, 2)).isEqualTo(100);
        assertThat(UpstreamHttp.eachLoop(5, 2)).isEqualTo(3);
        assertThat(UpstreamHttp.eachLoop(1, 8)).as("never none").isEqualTo(1);
    }

    private ProviderEnvironment withVertx() {
        return new ProviderEnvironment() {
            @Override
            public <T> Optional<T> lookup(Class<T> type) {
                return type == Vertx.class ? Optional.of(type.cast(vertx)) : Optional.empty();
            }
        };
    }

    /** Two contexts of this Vert.x on its two event-loop threads: each deployment takes the next loop, round robin. */
    private List<Context> twoLoops() throws Exception {
        List<Context> loops = new ArrayList<>();
        for (int i = 0; i < 4 && loops.size() < 2; i++) {
            CompletableFuture<Context> deployed = new CompletableFuture<>();
            vertx.deployVerticle(new VerticleBase() {
                @Override
                public Future<?> start() {
                    deployed.complete(context);
                    return Future.succeededFuture();
                }
            }).await();
            Context context = deployed.get(10, TimeUnit.SECONDS);
            if (loops.isEmpty() || !threadOf(loops.getFirst()).equals(threadOf(context))) loops.add(context);
        }
        assertThat(loops).as("two event loops").hasSize(2);
        return loops;
    }

    private static String threadOf(Context context) throws Exception {
        return onLoop(context, () -> Thread.currentThread().getName());
    }

    private static <T> T onLoop(Context context, Supplier<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(go -> result.complete(work.get()));
        return result.get(10, TimeUnit.SECONDS);
    }
}
