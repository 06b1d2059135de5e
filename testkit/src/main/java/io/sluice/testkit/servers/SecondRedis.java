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
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        throw new IllegalStateException("redis-server did not start on port " + port + " (see " + log + ")");
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

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
