package io.sluice.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator against the simulator over real HTTP: the open loop keeps its rate, streams report their first chunk. */
class LoadGeneratorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Simulator simulator;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        simulator = new Simulator(SimulatorConfig.ofDefaults().withLatency(Duration.ofMillis(20)).withStreamTiming(Duration.ofMillis(5), Duration.ofMillis(1)));
        simulator.start(0);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    private JsonNode run(String... options) throws Exception {
        Path out = dir.resolve("results.jsonl");
        String[] args = new String[options.length + 6];
        System.arraycopy(new String[] {"--url", simulator.baseUrl() + "/chat/completions", "--out", out.toString(), "--warmup", "0"}, 0, args, 0, 6);
        System.arraycopy(options, 0, args, 6, options.length);
        LoadGenerator.main(args);
        return JSON.readTree(Files.readAllLines(out).getLast());
    }

    @Test
    void anOpenLoopSendsItsRateWhateverTheLatencyAndRecordsEachCallFromItsIntendedStart() throws Exception {
        JsonNode r = run("--rate", "100", "--seconds", "2", "--label", "direct/0");
        assertThat(r.path("sent").asLong()).isBetween(199L, 201L);
        assertThat(r.path("ok").asLong()).isEqualTo(r.path("sent").asLong());
        assertThat(r.path("errors").asLong()).isZero();
        assertThat(r.path("latency_us").path("p50").asLong()).as("at least the simulator's 20 ms").isGreaterThanOrEqualTo(20_000);
        assertThat(r.path("label").asText()).isEqualTo("direct/0");
        assertThat(r.path("gateway_us").isNull()).as("the simulator sends no Server-Timing").isTrue();
        // this JVM made 200 calls and served them in the window: the machine's CPU by process counts it (as "other")
        double machine = 0;
        for (JsonNode kind : r.path("cpu_by_process")) machine += kind.asDouble();
        assertThat(machine).isPositive();
    }

    @Test
    void theMachinesProcessesAreToldApartByTheirCommandLines() {
        assertThat(MachineCpu.kind("postgres: postgres sluice_bench 127.0.0.1(51234) idle")).isEqualTo("postgres");
        assertThat(MachineCpu.kind("nginx: worker process")).isEqualTo("nginx");
        assertThat(MachineCpu.kind("java -Xms3g -cp x io.sluice.bench.load.LoadGenerator --rate 100")).isEqualTo("load_generator");
        assertThat(MachineCpu.kind("java -cp sluice.jar io.sluice.app.Main simulator --port 1")).isEqualTo("simulator");
        assertThat(MachineCpu.kind("java -Xms1g -jar sluice.jar serve --port 1 --config c.yaml")).isEqualTo("sluice");
        assertThat(MachineCpu.kind("node /c/node_modules/@portkey-ai/gateway/build/start-server.js --port=1")).isEqualTo("portkey");
        assertThat(MachineCpu.kind("")).as("a kernel thread").isEqualTo("other");
    }

    @Test
    void aProcessNameWithSpacesAndParenthesesDoesNotShiftTheCpuFields() {
        // /proc/[pid]/stat puts the name in parentheses unescaped: any process may be called ") S 9 9"
        String stat = "4242 (evil) S 9 9 9) R 1 4242 4242 0 -1 4194560 100 0 0 0 700 50 0 0 20 0 1 0 5 0 0";
        assertThat(MachineCpu.cpuTicks(stat)).as("utime 700 + stime 50").isEqualTo(750);
    }

    @Test
    void theGatewaysOwnTimeIsReadFromServerTiming() {
        String header = "upstream;dur=50.120, store;dur=1.002, gateway;dur=2.345";
        assertThat(LoadGenerator.serverTimingMicros(header, "gateway")).isEqualTo(2_345);
        assertThat(LoadGenerator.serverTimingMicros(header, "store")).isEqualTo(1_002);
        assertThat(LoadGenerator.serverTimingMicros("upstream;dur=3.000", "gateway")).isEqualTo(-1);
        assertThat(LoadGenerator.serverTimingMicros(null, "gateway")).isEqualTo(-1);
    }

    @Test
    void aClosedLoopKeepsItsCallsInFlightAndStreamsReportTheirFirstChunk() throws Exception {
        JsonNode r = run("--max", "4", "--seconds", "2", "--warmup", "1", "--stream", "--max-tokens", "10");
        assertThat(r.path("mode").asText()).isEqualTo("max");
        assertThat(r.path("in_flight").asInt()).isEqualTo(4);
        // Behaviour, not speed (a throughput figure flakes on a shared 2-core machine): every slot finished calls, all of them whole.
        assertThat(r.path("sent").asLong()).as("each of the 4 slots sent a call after the warm-up").isGreaterThanOrEqualTo(4);
        assertThat(r.path("ok").asLong()).isEqualTo(r.path("sent").asLong());
        assertThat(r.path("errors").asLong()).isZero();
        assertThat(r.path("ttfc_us").path("p50").asLong()).isPositive().isLessThanOrEqualTo(r.path("latency_us").path("p50").asLong());
    }

    @Test
    void withTurnsAConversationIsReplacedByANewOneOnceItHasHadThatMany() throws Exception {
        // a stand-in for the gateway: "new" opens a conversation, any other id continues it
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        java.util.Map<String, Integer> continued = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
        var server = vertx.createHttpServer().requestHandler(request -> request.body().onComplete(body -> {
            String id = request.getHeader("X-Conversation-Id");
            if ("new".equals(id)) id = "conv-" + opened.incrementAndGet();
            else continued.merge(id, 1, Integer::sum);
            request.response().putHeader("X-Conversation-Id", id).end("{}");
        })).listen(0).await();
        try {
            Path out = dir.resolve("turns.jsonl");
            LoadGenerator.main(new String[] {"--url", "http://127.0.0.1:" + server.actualPort() + "/v1/chat/completions", "--out", out.toString(),
                    "--warmup", "0", "--seconds", "1", "--max", "1", "--conversations", "3", "--turns", "2"});
            assertThat(opened.get()).as("the three opened, and more in their place").isGreaterThan(6);
            assertThat(continued.values()).as("each continued once after the turn that opened it").containsOnly(1);
        } finally {
            vertx.close().await();
        }
    }
}
