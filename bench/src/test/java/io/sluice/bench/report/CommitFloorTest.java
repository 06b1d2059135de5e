package io.sluice.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * bench/commit-floor against this machine's PostgreSQL (127.0.0.1:5432): one line of latencies a rate, in the shape
 * report.py reads, and its scratch database dropped whether pgbench ran or refused.
 */
class CommitFloorTest {
    private record Ran(int exit, String out, String err) {}

    private static Ran run(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "./commit-floor";
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("SECONDS_PER_RATE", "1");
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Ran(p.exitValue(), out, err);
    }

    private static boolean databaseLeft() throws Exception {
        Process p = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-Atc",
                "SELECT count(*) FROM pg_database WHERE datname = 'sluice_commit_floor'").start();
        String count = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return !count.equals("0");
    }

    private static long field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\": (\\d+)").matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void aRateGivesOneLineOfCommitLatenciesAndTheDatabaseIsDroppedAfter() throws Exception {
        Ran ran = run("200");
        assertThat(ran.exit()).as(ran.err()).isZero();
        String[] lines = ran.out().strip().split("\n");
        assertThat(lines).hasSize(1);
        String line = lines[0];
        assertThat(line).contains("\"label\": \"postgres-commit/-\"", "\"mode\": \"rate\"", "\"rate\": 200", "\"errors\": 0");
        assertThat(field(line, "ok")).isPositive();
        long p50 = field(line, "p50"), p99 = field(line, "p99");
        assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
        assertThat(p99).isLessThanOrEqualTo(field(line, "max"));
        assertThat(databaseLeft()).as("its scratch database dropped").isFalse();
    }

    @Test
    void aRatePgbenchRefusesFailsWithoutALineAndStillDropsTheDatabase() throws Exception {
        Ran ran = run("not-a-rate");
        assertThat(ran.exit()).isNotZero();
        assertThat(ran.out()).as("nothing for report.py to read").isEmpty();
        assertThat(ran.err()).as("pgbench's own words").containsIgnoringCase("rate");
        assertThat(databaseLeft()).as("dropped on the way out too").isFalse();
    }
}
