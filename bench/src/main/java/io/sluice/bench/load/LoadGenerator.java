package io.sluice.bench.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The load generator of the benchmark harness ({@code bench/run}). At a constant rate it is an open loop: each call
 * has an intended start time, and its latency is counted from that time, so a slow server cannot slow the load down
 * and hide its own stalls (no coordinated omission). At maximum throughput it keeps a number of calls in flight.
 * Latency (and, for streams, time to the first chunk) goes into HdrHistograms; the result is one JSON line.
 */
public final class LoadGenerator {
    private static final String QUESTION = "Hello, my order 1234 was due yesterday and has not arrived. Where is it?";

    private final LoadOptions options;
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private final HttpClient client;
    /**
     * Calls start on these event-loop contexts, never on the pacing or main thread: a call started from a foreign thread
     * can see its response end before its handlers are set ("Response already ended"). One per event loop, each from
     * a deployment instance of its own: asked for from this thread, every context would be the same one, on one loop.
     */
    private final Context[] contexts = eventLoops(vertx, 2);
    private final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    private final Histogram firstChunk = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    /** The gateway's own time per call, as its {@code Server-Timing} header gives it ({@code gateway;dur=}), when it does. */
    private final Histogram gateway = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    /** Of which storing the turn and its bill ({@code store;dur=}). */
    private final Histogram store = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    private final AtomicLong ok = new AtomicLong();
    /**
     * Numbers the calls' questions under {@code --vary}, so that no two are alike (each a response-cache miss), after
     * this run's own random prefix: a run before it, another JVM, must not have asked them already.
     */
    private final AtomicLong asked = new AtomicLong();
    private final String run = Long.toHexString(new java.util.Random().nextLong());
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Why measured calls failed: an HTTP status, or the exception's class, with counts. */
    private final java.util.concurrent.ConcurrentHashMap<String, AtomicLong> failures = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> conversations = new ArrayList<>();
    private final AtomicInteger nextConversation = new AtomicInteger();
    /** Each conversation slot's current id and its turns so far ({@code --turns}: a slot past it starts a new one). */
    private java.util.concurrent.atomic.AtomicReferenceArray<String> slots;
    private java.util.concurrent.atomic.AtomicIntegerArray turnsInSlot;
    private volatile long measureFrom;
    private volatile long measureUntil;
    private volatile java.util.Map<String, Double> machineCpu = java.util.Map.of();
    private volatile double gatewayCpu = -1;

    private LoadGenerator(LoadOptions options) {
        this.options = options;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000),
                new PoolOptions().setHttp1MaxSize(12_000).setMaxWaitQueueSize(-1));
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options = LoadOptions.parse(args);
        LoadGenerator generator = new LoadGenerator(options);
        try {
            String result = generator.run();
            Files.writeString(options.out(), result + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            System.out.println(result);
        } finally {
            generator.vertx.close().await();
        }
    }

    private String run() throws Exception {
        if (options.conversations() > 0) openConversations();
        ProcessSampler sampler = new ProcessSampler(options.pids());
        long start = System.nanoTime();
        measureFrom = start + TimeUnit.SECONDS.toNanos(options.warmupSeconds());
        measureUntil = measureFrom + TimeUnit.SECONDS.toNanos(options.seconds());
        Thread samplerThread = Thread.ofPlatform().daemon().start(() -> {
            LockSupport.parkNanos(measureFrom - System.nanoTime());
            sampler.start();
            MachineCpu machine = MachineCpu.start();
            while (System.nanoTime() < measureUntil) {
                LockSupport.parkNanos(200_000_000L);
                sampler.sample();
            }
            machineCpu = machine.percentOfACoreByKind();
            gatewayCpu = sampler.cpuPercent(); // over the same window, not the drain after it
        });
        if (options.rate() > 0) openLoop(start);
        else closedLoop();
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.drainSeconds());
        while (inFlight.get() > 0 && System.nanoTime() < drainUntil) LockSupport.parkNanos(10_000_000L);
        samplerThread.join();
        double throughput = ok.get() / (double) options.seconds();
        return String.format(Locale.ROOT, "{\"label\":\"%s\",\"mode\":\"%s\",\"rate\":%d,\"in_flight\":%d,\"stream\":%b,\"seconds\":%d,"
                        + "\"sent\":%d,\"ok\":%d,\"errors\":%d,\"failures\":%s,\"throughput\":%.1f,\"latency_us\":%s,\"ttfc_us\":%s,\"gateway_us\":%s,\"store_us\":%s,\"cpu_pct\":%.1f,\"rss_mb\":%.1f,\"cpu_by_process\":%s}",
                options.label(), options.mode(), options.rate(), options.maxInFlight(), options.stream(), options.seconds(), sent.get(),
                ok.get(), errors.get(), failuresJson(), throughput, percentiles(latency), options.stream() ? percentiles(firstChunk) : "null",
                percentiles(gateway), percentiles(store), gatewayCpu, sampler.rssMb(), cpuByProcessJson());
    }

    /** Each kind of process's CPU over the measured window, % of a core: {"postgres":48.2,...}. */
    private String cpuByProcessJson() {
        return machineCpu.entrySet().stream().map(e -> String.format(Locale.ROOT, "\"%s\":%.1f", e.getKey(), e.getValue()))
                .collect(java.util.stream.Collectors.joining(",", "{", "}"));
    }

    /** Calls at their intended times, whatever the server does; a call is measured when its intended time is in the window. */
    private void openLoop(long start) {
        long period = TimeUnit.SECONDS.toNanos(1) / options.rate();
        for (long i = 0; ; i++) {
            long intended = start + i * period;
            if (intended >= measureUntil) return;
            long wait = intended - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
            long at = intended;
            contexts[(int) (i % contexts.length)].runOnContext(v -> call(at, at >= measureFrom, null));
        }
    }

    /** Keeps {@code --max} calls in flight until the window ends. */
    private void closedLoop() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(options.maxInFlight());
        for (int i = 0; i < options.maxInFlight(); i++) contexts[i % contexts.length].runOnContext(v -> loop(done));
        done.await();
    }

    private void loop(CountDownLatch done) {
        long now = System.nanoTime();
        if (now >= measureUntil) {
            done.countDown();
            return;
        }
        call(now, now >= measureFrom, () -> loop(done));
    }

    /** Starts one call; {@code then} runs when it ends. */
    private void call(long intended, boolean measured, Runnable then) {
        inFlight.incrementAndGet();
        if (measured) sent.incrementAndGet();
        int slot = conversations.isEmpty() ? -1 : Math.floorMod(nextConversation.getAndIncrement(), conversations.size());
        String conversation = slot < 0 ? null : slots.get(slot);
        boolean renew = slot >= 0 && options.turns() > 0 && turnsInSlot.incrementAndGet(slot) > options.turns();
        if (renew) {
            turnsInSlot.set(slot, 1);
            conversation = "new";
        }
        long[] first = {0};
        long[] timing = {-1, -1};
        send(conversation).compose(resp -> {
            if (renew && resp.getHeader("X-Conversation-Id") != null) slots.set(slot, resp.getHeader("X-Conversation-Id"));
            String serverTiming = resp.getHeader("Server-Timing");
            timing[0] = serverTimingMicros(serverTiming, "gateway");
            timing[1] = serverTimingMicros(serverTiming, "store");
            resp.handler(chunk -> {
                if (first[0] == 0) first[0] = System.nanoTime();
            });
            return resp.end().map(v -> resp.statusCode());
        }).onComplete(ar -> {
            long end = System.nanoTime();
            if (measured) {
                if (ar.succeeded() && ar.result() == 200) {
                    ok.incrementAndGet();
                    record(latency, end - intended);
                    if (first[0] != 0) record(firstChunk, first[0] - intended);
                    if (timing[0] >= 0) record(gateway, timing[0] * 1_000);
                    if (timing[1] >= 0) record(store, timing[1] * 1_000);
                } else {
                    errors.incrementAndGet();
                    String why = ar.succeeded() ? "HTTP " + ar.result() : ar.cause().getClass().getSimpleName();
                    failures.computeIfAbsent(why, k -> new AtomicLong()).incrementAndGet();
                }
            }
            inFlight.decrementAndGet();
            if (then != null) then.run();
        });
    }

    private Future<io.vertx.core.http.HttpClientResponse> send(String conversation) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(options.url().toString())
                .putHeader("content-type", "application/json").putHeader("authorization", "Bearer sk-bench");
        for (String[] h : options.headers()) request.putHeader(h[0].strip(), h[1].strip());
        if (conversation != null) request.putHeader("X-Conversation-Id", conversation);
        Buffer body = Buffer.buffer("{\"model\":\"" + options.model() + "\",\"stream\":" + options.stream()
                + (options.maxTokens() > 0 ? ",\"max_tokens\":" + options.maxTokens() : "")
                + (options.temperature() != null ? ",\"temperature\":" + options.temperature() : "")
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + (options.vary() ? " (" + run + "-" + asked.incrementAndGet() + ")" : "") + "\"}]}");
        return client.request(request).compose(req -> req.send(body));
    }

    /**
     * Opens the stored conversations the run continues, one call each; a call the gateway refuses (it may still be
     * catching up with an earlier run) opens none, and the run continues those that opened.
     */
    private void openConversations() {
        List<Future<String>> opened = new ArrayList<>();
        for (int i = 0; i < options.conversations(); i++) {
            Promise<String> id = Promise.promise();
            contexts[i % contexts.length].runOnContext(v -> send("new")
                    .compose(resp -> resp.body().map(b -> resp.getHeader("X-Conversation-Id"))).onComplete(id));
            opened.add(id.future());
            if (opened.size() % 50 == 0) Future.join(new ArrayList<>(opened)).otherwiseEmpty().await();
        }
        Future.join(new ArrayList<>(opened)).otherwiseEmpty().await();
        for (Future<String> f : opened) if (f.succeeded() && f.result() != null) conversations.add(f.result());
        if (conversations.isEmpty()) throw new IllegalStateException("the gateway opened no conversation");
        slots = new java.util.concurrent.atomic.AtomicReferenceArray<>(conversations.toArray(String[]::new));
        int[] opened1 = new int[conversations.size()];
        java.util.Arrays.fill(opened1, 1); // the turn that opened it
        turnsInSlot = new java.util.concurrent.atomic.AtomicIntegerArray(opened1);
    }

    private String failuresJson() {
        StringBuilder json = new StringBuilder("{");
        failures.forEach((why, n) -> json.append(json.length() > 1 ? "," : "").append('"').append(why.replace("\"", "")).append("\":").append(n.get()));
        return json.append('}').toString();
    }

    /** A metric's {@code dur} in a {@code Server-Timing} header (milliseconds), in microseconds; -1 when there is none. */
    static long serverTimingMicros(String serverTiming, String name) {
        if (serverTiming == null) return -1;
        for (String metric : serverTiming.split(",")) {
            String[] parts = metric.strip().split(";dur=");
            if (parts.length == 2 && parts[0].equals(name)) return Math.round(Double.parseDouble(parts[1]) * 1_000);
        }
        return -1;
    }

    private static Context[] eventLoops(Vertx vertx, int count) {
        List<Context> contexts = java.util.Collections.synchronizedList(new ArrayList<>());
        vertx.deployVerticle(() -> context -> {
            contexts.add(context);
            return Future.succeededFuture();
        }, new io.vertx.core.DeploymentOptions().setInstances(count)).toCompletionStage().toCompletableFuture().join();
        return contexts.toArray(Context[]::new);
    }

    private static synchronized void record(Histogram h, long nanos) {
        h.recordValue(Math.max(1, Math.min(h.getHighestTrackableValue(), nanos / 1_000)));
    }

    private static synchronized String percentiles(Histogram h) {
        if (h.getTotalCount() == 0) return "null";
        return String.format(Locale.ROOT, "{\"p50\":%d,\"p90\":%d,\"p99\":%d,\"p999\":%d,\"max\":%d}", h.getValueAtPercentile(50),
                h.getValueAtPercentile(90), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue());
    }
}
