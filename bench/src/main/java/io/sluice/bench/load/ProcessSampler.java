package io.sluice.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Samples processes' CPU time and resident memory from /proc while a run is measured: CPU as a percentage of one
 * core over the run, RSS as the largest sum seen. Linux only; other systems report -1.
 */
final class ProcessSampler {
    /** Clock ticks per second of /proc/[pid]/stat; 100 on every Linux this runs on. */
    private static final double TICKS = 100.0;
    private final List<Long> pids;
    private long startTicks;
    private long startNanos;
    private long maxRssKb = -1;

    ProcessSampler(List<Long> pids) {
        this.pids = pids;
    }

    void start() {
        startTicks = ticks();
        startNanos = System.nanoTime();
        sample();
    }

    void sample() {
        long rss = 0;
        for (long pid : pids) rss += rssKb(pid);
        maxRssKb = Math.max(maxRssKb, rss);
    }

    double cpuPercent() {
        if (pids.isEmpty()) return -1;
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return 100.0 * (ticks() - startTicks) / TICKS / seconds;
    }

    double rssMb() {
        return pids.isEmpty() ? -1 : maxRssKb / 1024.0;
    }

    private long ticks() {
        long sum = 0;
        for (long pid : pids) {
            try {
                sum += MachineCpu.cpuTicks(Files.readString(Path.of("/proc/" + pid + "/stat")));
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }
        return sum;
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }
}
