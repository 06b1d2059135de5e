package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request still unanswered at its call's deadline is reset upstream, not left to hold its connection until the
 * provider's idle timeout (5 s here): a storm of hanging upstream calls would otherwise fill the connection pool.
 */
class DeadlineResetTest {
    @TempDir
    Path dir;

    @Test
    void aRequestPastItsDeadlineIsResetUpstreamAtOnce() throws Exception {
        try (CachingGateway sluice = new CachingGateway(dir, "")) {
            String key = sluice.key("acme");
            HttpResponse<String> late = sluice.chat(key, CachingGateway.question("Where is my order? [sim:hang]"), "X-SLA-Tier", "fast");
            assertThat(late.statusCode()).isEqualTo(504);
            // well before the 5 s idle timeout that would close it otherwise
            Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> sluice.simulator.abandoned() == 1);
        }
    }
}
