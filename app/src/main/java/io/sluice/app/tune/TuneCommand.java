package io.sluice.app.tune;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice tune}: the concurrency study from our users' playbook. Sweeps the number of calls in flight against
 * an OpenAI-compatible upstream (the simulator, a real provider, or a Sluice) within a request budget, prints
 * throughput, p50/p95 latency and error rate per level, marks the best, and writes a chart.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Concurrency sweep against an upstream: throughput, p50/p95 latency and errors per level; marks the best, writes a chart.")
public final class TuneCommand implements Callable<Integer> {
    @Option(names = "--url", required = true, description = "A chat completions URL, e.g. http://127.0.0.1:9090/v1/chat/completions.")
    URI url;

    @Option(names = "--model", defaultValue = "gpt-4o-mini", description = "The model to ask (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--api-key-env", defaultValue = "OPENAI_API_KEY",
            description = "The environment variable holding the upstream's key, sent as a bearer token (default: ${DEFAULT-VALUE}).")
    String apiKeyEnv;

    @Option(names = "--levels", split = ",", defaultValue = "1,2,4,8,16,32,64", description = "Concurrency levels (default: ${DEFAULT-VALUE}).")
    int[] levels;

    @Option(names = "--requests", defaultValue = "1000",
            description = "Request budget for the whole sweep, shared by the levels; real providers bill each call (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--max-tokens", defaultValue = "16", description = "max_tokens of each call, to keep a real provider's bill small.")
    int maxTokens;

    @Option(names = "--max-error-rate", defaultValue = "0.01", description = "Levels with more errors cannot be the best (default: ${DEFAULT-VALUE}).")
    double maxErrorRate;

    @Option(names = "--chart", defaultValue = "tune.svg", description = "Where to write the chart (default: ${DEFAULT-VALUE}).")
    Path chart;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (requests < 1 || levels.length == 0) {
            spec.commandLine().getErr().println("sluice: --requests must be positive and --levels must name at least one level");
            return 2;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String key = System.getenv(apiKeyEnv);
        String body = "{\"model\":\"" + model.replace("\"", "") + "\",\"max_tokens\":" + maxTokens
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hello, my order 1234 is late. Where is it?\"}]}";
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null && !key.isBlank()) request.header("authorization", "Bearer " + key);
        HttpRequest built = request.build();
        out.printf("sluice tune: %s, model %s, %d requests over levels %s%n", url, model, requests, java.util.Arrays.toString(levels));
        out.flush();
        ConcurrencySweep.Result result = new ConcurrencySweep(() -> http.send(built, HttpResponse.BodyHandlers.discarding()).statusCode() == 200)
                .run(levels, requests, maxErrorRate);
        out.print(SweepReport.table(result));
        Files.writeString(chart, SweepReport.chart(result));
        out.println("chart: " + chart.toAbsolutePath());
        return result.best() == null ? 1 : 0;
    }
}
