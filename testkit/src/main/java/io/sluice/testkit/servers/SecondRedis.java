package io.sluice.testkit.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A Redis server of a test's own, on a free port, keeping nothing on disk: one a test may stop and start again, which
 * the shared server on 6379 must never be. Needs {@code redis-server} on the PATH (Debian's {@code redis-server}).
 */
public final class SecondRedis implements AutoCloseable {
    private final int port = ExternalProcess.freePort();
    private final Path log;
    private Process server;

    public SecondRedis() {
        try {
            log = Files.createTempFile("sluice-redis", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    /** Starts the server and waits until it takes connections. */
    public synchronized void start() {
        try {
            server = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not run redis-server: install Debian's redis-server package", e);
        }
        org.awaitility.Awaitility.await("redis-server on port " + port + " (see " + log + ")").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50)).until(this::takesConnections);
    }

    /** Stops the server as a crash would, dropping every key and connection. */
    public synchronized void stop() {
        if (server == null) return;
        server.destroyForcibly();
        try {
            server.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server = null;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop();
    }

    private boolean takesConnections() {
        try (Socket probe = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }
}
