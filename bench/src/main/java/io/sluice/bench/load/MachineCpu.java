package io.sluice.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The whole machine's CPU over a run, by kind of process (PostgreSQL, the load generator, the simulators, each
 * gateway): on a machine whose cores the gateway shares with all of them, what each call cost every process is
 * what explains a maximum throughput, not the gateway's CPU alone. Read from /proc; empty on other systems.
 */
final class MachineCpu {
    private static final double TICKS = 100.0; // clock ticks per second of /proc/[pid]/stat on every Linux this runs on

    /** Process id to (kind, CPU ticks so far). */
    private final Map<Long, Map.Entry<String, Long>> start;
    private final long startNanos;

    private MachineCpu(Map<Long, Map.Entry<String, Long>> start, long startNanos) {
        this.start = start;
        this.startNanos = startNanos;
    }

    static MachineCpu start() {
        long now = System.nanoTime(); // before the scan, which takes a while: the window then holds all the ticks counted
        return new MachineCpu(snapshot(), now);
    }

    /** Each kind's CPU since {@link #start}, as a percentage of one core; a process started meanwhile counts whole. */
    Map<String, Double> percentOfACoreByKind() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Double> used = new TreeMap<>();
        snapshot().forEach((pid, now) -> {
            Map.Entry<String, Long> before = start.get(pid);
            long ticks = now.getValue() - (before == null ? 0 : before.getValue());
            if (ticks > 0) used.merge(now.getKey(), 100.0 * ticks / TICKS / seconds, Double::sum);
        });
        return used;
    }

    /** What a process is, from its command line: the names bench/report.py shows. */
    static String kind(String commandLine) {
        if (commandLine.startsWith("postgres") || commandLine.contains("/bin/postgres ")) return "postgres"; // a backend; the postmaster
        if (commandLine.startsWith("nginx")) return "nginx";
        if (commandLine.contains("LoadGenerator")) return "load_generator";
        if (commandLine.contains(" simulator ")) return "simulator";
        if (commandLine.contains(" serve ")) return "sluice";
        if (commandLine.contains("portkey")) return "portkey";
        return "other";
    }

    /** User and system CPU ticks from the text of /proc/[pid]/stat (its fields counted after the command's closing parenthesis). */
    static long cpuTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
    }

    private static Map<Long, Map.Entry<String, Long>> snapshot() {
        Map<Long, Map.Entry<String, Long>> processes = new HashMap<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.map(p -> p.getFileName().toString()).filter(name -> name.chars().allMatch(Character::isDigit)).forEach(pid -> {
                try {
                    long ticks = cpuTicks(Files.readString(Path.of("/proc", pid, "stat")));
                    String command = Files.readString(Path.of("/proc", pid, "cmdline")).replace('\0', ' ');
                    processes.put(Long.parseLong(pid), Map.entry(kind(command), ticks));
                } catch (IOException | RuntimeException gone) {
                    // the process ended between the listing and the read: its ticks are lost to both snapshots alike
                }
            });
        } catch (IOException | RuntimeException notLinux) {
            return Map.of();
        }
        return processes;
    }
}
