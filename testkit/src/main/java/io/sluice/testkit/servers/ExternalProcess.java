package io.sluice.testkit.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the commands that start and stop a test's own servers, as the user those servers must run as. */
final class ExternalProcess {
    private ExternalProcess() {}

    /** Runs {@code command} to its end, as {@code user} when this process is root (PostgreSQL refuses to run as root). */
    static void run(String user, Path log, String... command) {
        List<String> line = new ArrayList<>();
        if (user != null && "root".equals(System.getProperty("user.name"))) line.addAll(List.of("runuser", "-u", user, "--"));
        line.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command) + " (see " + log + ")");
            }
            if (p.exitValue() != 0) throw new IllegalStateException("failed (" + p.exitValue() + "): " + String.join(" ", command) + " (see " + log + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
