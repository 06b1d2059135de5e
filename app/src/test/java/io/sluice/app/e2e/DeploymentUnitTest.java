package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd unit docs/deployment.md gives operators is one systemd reads as meant: {@code systemd-analyze verify}
 * accepts it, and its environment file and JVM options are what the text says. A comment after a value is no comment
 * to systemd; it became part of the environment file's path, and a replica would not start.
 */
class DeploymentUnitTest {
    private static final Path DOC = Path.of(System.getProperty("user.dir")).getParent().resolve("docs/deployment.md");
    private static final String HEAD = "# /etc/systemd/system/sluice@.service";

    @TempDir
    Path dir;

    @Test
    void theReplicaUnitVerifiesAndReadsItsEnvironmentFileAndHeapAsWritten() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int start = doc.indexOf(HEAD);
        assertThat(start).as("the unit in %s", DOC).isPositive();
        // the launcher is not installed here: any executable lets verify check the rest
        String unit = doc.substring(start, doc.indexOf("```", start)).replace("/opt/sluice/sluice", "/usr/bin/true");
        Path file = Files.writeString(dir.resolve("sluice@81.service"), unit);

        // the debug log prints the unit as systemd parsed it
        ProcessBuilder command = new ProcessBuilder("systemd-analyze", "verify", file.toString()).redirectErrorStream(true);
        command.environment().put("SYSTEMD_LOG_LEVEL", "debug");
        Process verify = command.start();
        verify.getOutputStream().close();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).as("systemd-analyze ended").isTrue();
        assertThat(verify.exitValue()).as(output).isZero();
        assertThat(output).containsPattern("(?m)^\\s+EnvironmentFile: /etc/sluice/env$")
                .containsPattern("(?m)^\\s+Environment: SLUICE_JAVA_OPTS=-Xms512m -Xmx768m$");
    }
}
