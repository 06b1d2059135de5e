package io.sluice.http.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.http.openai.OpenAiJson;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shedder in front of a real HTTP server. The overload is injected as it happens: a request to {@code /busy} holds
 * the server's event loop for 900 ms, in pieces of 150 ms with a moment between them, as a gateway past its capacity
 * does; {@code /stall} holds it once for 400 ms, as a collection pause does. Those two routes hold the loop on purpose:
 * it is the fault under test. The test's own thread never sleeps: it waits for the conditions it needs.
 */
class LoadShedderTest {
    private static final Duration MAX_LAG = Duration.ofMillis(100);
    private static final String CALL = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private final Vertx vertx = Vertx.vertx();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final CountDownLatch stallStarted = new CountDownLatch(1);
    private Context loop;
    private int port;

    @BeforeEach
    void start() throws Exception {
        OpenAiJson json = new OpenAiJson(new ObjectMapper());
        Router router = Router.router(vertx);
        router.post("/v1/chat/completions").handler(new LoadShedder(MAX_LAG, json, new GatewayMetrics(registry)))
                .handler(ctx -> ctx.response().end("{\"ok\":true}"));
        router.get("/busy").handler(ctx -> busy(6, ctx));
        router.get("/stall").handler(ctx -> {
            stallStarted.countDown();
            holdEventLoop(400);
            ctx.response().end();
        });
        CompletableFuture<HttpServer> server = new CompletableFuture<>();
        vertx.deployVerticle(() -> context -> {
            loop = context;
            EventLoopLag.watch(vertx, context);
            return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").onSuccess(server::complete);
        }, new DeploymentOptions()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        port = server.get(10, TimeUnit.SECONDS).actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aCallReadWhileTheEventLoopStaysFarBehindIsRefusedAtOnceWithA503InOpenAisShape() throws Exception {
        CompletableFuture<HttpResponse<String>> busy = http.sendAsync(get("/busy"), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> behind().compareTo(MAX_LAG) > 0); // its timer ran late twice
        HttpResponse<String> refused = http.send(chat(), HttpResponse.BodyHandlers.ofString());
        busy.get(10, TimeUnit.SECONDS);

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
        assertThat(refused.body()).contains("\"type\":\"server_error\"").contains("\"code\":\"gateway_overloaded\"")
                .contains("ms behind");
        assertThat(registry.get("sluice.requests.shed").counter().count()).isEqualTo(1.0);
    }

    @Test
    void lowCallsAreShedFirstAndHighOnesLast() throws Exception {
        CompletableFuture<HttpResponse<String>> busy = http.sendAsync(get("/busy"), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> behind().compareTo(MAX_LAG) > 0); // about 130 ms behind
        int low = http.send(chat("low"), HttpResponse.BodyHandlers.ofString()).statusCode();
        int high = http.send(chat("high"), HttpResponse.BodyHandlers.ofString()).statusCode();
        int normal = http.send(chat("normal"), HttpResponse.BodyHandlers.ofString()).statusCode();
        busy.get(10, TimeUnit.SECONDS);

        assertThat(low).as("low: shed past half the limit").isEqualTo(503);
        assertThat(normal).as("normal: shed past the limit").isEqualTo(503);
        assertThat(high).as("high: shed only past twice the limit").isEqualTo(200);
    }

    @Test
    void callsAreTakenAgainOnceTheEventLoopHasCaughtUp() throws Exception {
        CompletableFuture<HttpResponse<String>> busy = http.sendAsync(get("/busy"), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> behind().compareTo(MAX_LAG) > 0);
        assertThat(http.send(chat(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
        busy.get(10, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> behind().compareTo(MAX_LAG) <= 0); // its timer on time again

        HttpResponse<String> taken = http.send(chat(), HttpResponse.BodyHandlers.ofString());
        assertThat(taken.statusCode()).isEqualTo(200);
        assertThat(taken.body()).isEqualTo("{\"ok\":true}");
    }

    @Test
    void aSingleStallRefusesNothing() throws Exception {
        CompletableFuture<HttpResponse<String>> stall = http.sendAsync(get("/stall"), HttpResponse.BodyHandlers.ofString());
        assertThat(stallStarted.await(10, TimeUnit.SECONDS)).isTrue(); // this call is read as soon as the stall ends

        assertThat(http.send(chat(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(http.send(chat(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        stall.get(10, TimeUnit.SECONDS);
        assertThat(registry.get("sluice.requests.shed").counter().count()).isZero();
    }

    @Test
    void anEventLoopOnTimeTakesEveryCall() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(http.send(chat(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
        assertThat(registry.get("sluice.requests.shed").counter().count()).isZero();
    }

    private HttpRequest chat() {
        return chat("normal");
    }

    /** A call in a lane: an open gateway honours its X-Sluice-Priority. */
    private HttpRequest chat(String lane) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions")).header("X-Sluice-Priority", lane)
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(CALL)).build();
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build();
    }

    /** How far behind the watcher says the server's loop is, asked on that loop. */
    private Duration behind() throws Exception {
        CompletableFuture<Duration> behind = new CompletableFuture<>();
        loop.runOnContext(v -> behind.complete(EventLoopLag.current().behind()));
        return behind.get(5, TimeUnit.SECONDS);
    }

    /** Holds the loop for 150 ms, {@code pieces} times, a millisecond apart: the watcher's timer, due meanwhile, runs late between them. */
    private void busy(int pieces, RoutingContext ctx) {
        holdEventLoop(150);
        if (pieces > 1) vertx.setTimer(1, id -> busy(pieces - 1, ctx));
        else ctx.response().end();
    }

    /** The injected fault: the event loop does nothing else meanwhile. */
    private static void holdEventLoop(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
