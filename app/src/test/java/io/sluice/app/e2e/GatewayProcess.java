package io.sluice.app.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A gateway in an operating-system process of its own ({@code sluice serve} on this test's classpath), for the
 * acceptance tests that ask for replicas that share nothing but their database and Redis.
 */
final class GatewayProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    final int port;

    /**
     * The start of a {@code sluice.yaml} for a gateway process on {@code schema}, with a pool of {@code poolSize}: the
     * {@code sluice:} line and its {@code storage} block, two spaces in; the test adds the rest at the same depth.
     */
    static String onPostgres(io.sluice.testkit.db.PostgresTestSchema schema, int poolSize) {
        return """
                sluice:
                  storage:
                    type: postgres
                    postgres: {url: "%s", user: "%s", password: "%s", pool-size: %d}
                """.formatted(schema.jdbcUrl(), schema.user(), schema.password() == null ? "" : schema.password(), poolSize);
    }

    /** @param yaml the {@code sluice.yaml} to start with */
    GatewayProcess(String yaml) throws IOException, InterruptedException {
        this(yaml, java.util.Map.of());
    }

    /** @param env environment variables the process gets besides this one's (OpenTelemetry's {@code OTEL_*}) */
    GatewayProcess(String yaml, java.util.Map<String, String> env) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("sluice-process");
        Path config = Files.writeString(dir.resolve("sluice.yaml"), yaml);
        log = dir.resolve("sluice.log");
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dguice_bytecode_gen_option=DISABLED", "-cp", System.getProperty("java.class.path"), "io.sluice.app.Main", "serve", "--port", Integer.toString(port),
                "--config", config.toString()).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("OPENAI_API_KEY");
        builder.environment().putAll(env);
        process = builder.start();
        awaitReady();
    }

    private void awaitReady() throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> ready(http));
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("the gateway process did not get ready:\n" + Files.readString(log));
        }
    }

    private boolean ready(HttpClient http) throws IOException, InterruptedException {
        if (!process.isAlive()) throw new IllegalStateException("the gateway process exited:\n" + Files.readString(log));
        try {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false; // still starting
        }
    }

    /** A request to the process, {@code body} (JSON) or none, with {@code headers} (names and values in turn). */
    java.net.http.HttpResponse<String> send(String method, String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) request.headers(headers);
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) request.header("content-type", "application/json");
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    /** What the process has logged so far. */
    String log() throws IOException {
        return Files.readString(log);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Kills the process at once, as {@code kill -9} does: nothing of it runs after. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
