package io.sluice.testkit.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's own, on a free port, in a fresh data directory: one a test may stop and start
 * again, which the shared server on 5432 must never be. Needs PostgreSQL's server binaries (Debian's
 * {@code postgresql} package, under {@code /usr/lib/postgresql/<version>/bin}).
 */
public final class SecondPostgres implements AutoCloseable {
    private final Path bin;
    private final Path data;
    private final Path log;
    private final int port;

    public SecondPostgres() {
        bin = binaries();
        port = ExternalProcess.freePort();
        try {
            Path dir = Files.createTempDirectory("sluice-pg");
            data = dir.resolve("data");
            log = dir.resolve("server.log");
            Files.createFile(log);
            if ("root".equals(System.getProperty("user.name"))) ExternalProcess.run(null, log, "chown", "-R", "postgres", dir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ExternalProcess.run("postgres", log, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8");
        start();
    }

    /** Starts the server and waits until it takes connections. */
    public void start() {
        ExternalProcess.run("postgres", log, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log.toString(), "-w", "-o",
                "-p " + port + " -k " + data + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50", "start");
    }

    /** Stops the server at once, as a crash or a lost host would: every connection is cut. */
    public void stop() {
        ExternalProcess.run("postgres", log, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String user() {
        return "postgres";
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (RuntimeException alreadyStopped) {
            // nothing to stop
        }
        try (Stream<Path> files = Files.walk(data.getParent())) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind
        }
    }

    private static Path binaries() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(Path::toString)).orElseThrow(() -> new IllegalStateException("no PostgreSQL server binaries under /usr/lib/postgresql"));
        } catch (IOException e) {
            throw new IllegalStateException("no PostgreSQL server binaries: install Debian's postgresql package", e);
        }
    }
}
