package io.sluice.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench/report.py, run by python3 on a few results written as the load generator writes them: what docs/benchmarks.md says. */
class BenchReportTest {
    @TempDir
    Path dir;

    private static String run(String label, String mode, int rate, double throughput, long gatewayP99, String cpuByProcess) {
        return run(label, mode, rate, throughput, gatewayP99, -1, cpuByProcess);
    }

    /** {@code cpuPct}: the sampled gateway's CPU, % of a core (-1: none sampled, as straight to the simulator). */
    private static String run(String label, String mode, int rate, double throughput, long gatewayP99, double cpuPct, String cpuByProcess) {
        String gateway = gatewayP99 < 0 ? "null" : "{\"p50\":100,\"p90\":200,\"p99\":" + gatewayP99 + ",\"p999\":" + gatewayP99 + ",\"max\":" + gatewayP99 + "}";
        return "{\"label\":\"" + label + "\",\"mode\":\"" + mode + "\",\"rate\":" + rate + ",\"in_flight\":" + (rate == 0 ? 128 : 0)
                + ",\"stream\":false,\"seconds\":8,\"sent\":8000,\"ok\":8000,\"errors\":0,\"failures\":{},\"throughput\":" + throughput
                + ",\"latency_us\":{\"p50\":1000,\"p90\":2000,\"p99\":3000,\"p999\":4000,\"max\":5000},\"ttfc_us\":null,\"gateway_us\":" + gateway
                + ",\"store_us\":null,\"cpu_pct\":" + cpuPct + ",\"rss_mb\":700.0,\"cpu_by_process\":" + cpuByProcess + "}";
    }

    private String report(String... runs) throws Exception {
        Path results = dir.resolve("results.jsonl");
        Files.writeString(results, String.join("\n", runs) + "\n");
        Path md = dir.resolve("benchmarks.md");
        Files.createDirectories(dir.resolve("charts"));
        Process python = new ProcessBuilder("python3", "report.py", results.toString(), md.toString(), dir.resolve("charts").toString(), "2 cores, test machine")
                .redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes());
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as(output).isZero();
        return Files.readString(md);
    }

    @Test
    void theMachinesCpuACallIsShownByProcessWithTheGatewaysCostAgainstNginxPerCore() throws Exception {
        String md = report(
                run("direct/0", "max", 0, 9000, -1, "{\"load_generator\":120.0,\"simulator\":40.0}"),
                run("nginx/0", "max", 0, 6000, -1, 36.0, "{\"nginx\":36.0,\"load_generator\":100.0,\"simulator\":36.0,\"postgres\":6.0}"),
                // the idle second replica's 3% of a core is the "sluice" kind but not the sampled gateway: it goes to "other"
                run("sluice/0", "max", 0, 3000, 60_000, 60.0, "{\"sluice\":63.0,\"postgres\":45.0,\"load_generator\":70.0,\"simulator\":20.0}"));
        assertThat(md).contains("## Where the machine's CPU went");
        // nginx: 36% of a core over 6,000 calls/s is 0.060 ms a call; Sluice 60% over 3,000 is 0.200, its database 0.150
        assertThat(md).contains("| nginx (one proxy hop) | 128 in flight | 6000 | 0.060 | 0.010 |");
        assertThat(md).contains("| Sluice, stateless | 128 in flight | 3000 | 0.200 | 0.150 | 0.233 | 0.067 | 0.010 | 99% |");
        // per core: (0.060 + 0.010) / (0.200 + 0.150) = 20%
        assertThat(md).contains("Sluice stateless 0.350 ms, nginx 0.070 ms").contains("about **20%**");
    }

    @Test
    void aCacheMissRunWhoseP99IsUnderTheStatelessRunsIsNotCountedAsMet() throws Exception {
        String miss = report(
                run("direct/0", "rate", 1000, 1000, -1, "{}"),
                run("sluice/0", "rate", 1000, 1000, 180_000, "{}"),
                run("sluice-miss/0", "rate", 1000, 1000, 18_000, "{}"));
        assertThat(miss).contains("| response cache miss: own time p99 added to a call the cache skips, 1,000 calls/s | <= 0.1 ms | no baseline (the stateless run's p99 was longer) | - |");
        String measured = report(
                run("direct/0", "rate", 1000, 1000, -1, "{}"),
                run("sluice/0", "rate", 1000, 1000, 2_000, "{}"),
                run("sluice-miss/0", "rate", 1000, 1000, 2_050, "{}"));
        assertThat(measured).contains("| response cache miss: own time p99 added to a call the cache skips, 1,000 calls/s | <= 0.1 ms | 0.05 ms | yes |");
    }

    @Test
    void postgresCommitAloneIsShownAsTheFloorUnderStoredTurnsAndKeptOutOfTheGatewaysRates() throws Exception {
        // bench/commit-floor's lines: latency p50 1 ms, p99 3 ms (the shared run() shape), at 300 and 2,000 a second
        String md = report(
                run("direct/0", "rate", 1000, 1000, -1, "{}"),
                run("sluice-conversation/0", "rate", 1000, 1000, 9_000, "{}"),
                run("postgres-commit/-", "rate", 300, 300, -1, "{}"),
                run("postgres-commit/-", "rate", 2000, 2000, -1, "{}"));
        assertThat(md).contains("## The durable commit alone")
                .contains("| 300 | 8000 | 1.00 | 2.00 | 3.00 | 4.00 |")
                .contains("had a p99 of 3.00 ms at 300/s and 3.00 ms at 2,000/s in this run");
        // the floor's rates are not the gateways': the overhead charts have no group at 2,000/s for it
        String chart = Files.readString(dir.resolve("charts").resolve("overhead-p99-sim0.svg"));
        assertThat(chart).contains(">1000/s<").doesNotContain(">2000/s<");
    }
}
