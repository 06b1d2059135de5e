package io.sluice.app.tune;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.app.Main;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sluice tune} against a simulator whose throughput falls past 8 calls in flight, over real HTTP: 16 in flight
 * serve half of what 8 do, so the knee stands out of any noise a busy machine adds to the measurement (with a flat
 * saturation, 8, 16 and 32 measured within a few percent of each other, and a busy machine picked 32).
 */
class TuneCommandTest {
    @TempDir
    Path dir;

    @Test
    void theSweepFindsTheUpstreamsKneePrintsTheTableAndWritesTheChart() throws Exception {
        Simulator sim = new Simulator(SimulatorConfig.ofDefaults().withLatency(Duration.ofMillis(40)));
        sim.start(0);
        sim.collapseAbove(8);
        try {
            StringWriter out = new StringWriter();
            CommandLine cli = new CommandLine(new Main());
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(out));
            Path chart = dir.resolve("tune.svg");
            int code = cli.execute("tune", "--url", sim.baseUrl() + "/chat/completions", "--levels", "1,2,4,8,16,32", "--requests", "720",
                    "--chart", chart.toString());
            String printed = out.toString();
            assertThat(code).as(printed).isZero();
            assertThat(printed).contains("concurrency", "calls/s", "p50 ms", "p95 ms", "errors", "<- best");
            String best = printed.lines().filter(l -> l.endsWith("<- best")).findFirst().orElseThrow().strip().split("\\s+")[0];
            assertThat(Integer.parseInt(best)).as("the knee of an upstream that collapses past 8 in flight").isEqualTo(8);
            assertThat(Files.readString(chart)).startsWith("<svg").contains("polyline");
        } finally {
            sim.close();
        }
    }

    @Test
    void theBestIsTheLowestLevelWithinFivePercentOfTheTopAmongLevelsWithinTheErrorBudget() {
        var levels = List.of(new ConcurrencySweep.Level(4, 100, 50, 80, 90, 0), new ConcurrencySweep.Level(8, 100, 97, 80, 95, 0),
                new ConcurrencySweep.Level(16, 100, 100, 160, 180, 0), new ConcurrencySweep.Level(32, 100, 140, 200, 400, 0.2));
        assertThat(ConcurrencySweep.best(levels, 0.01).concurrency()).isEqualTo(8);
        assertThat(ConcurrencySweep.best(levels.subList(3, 4), 0.01)).as("every level over the error budget").isNull();
    }
}
