package io.sluice.domain.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** A failure described for a log line names its classes and where it was thrown, never data its messages carry. */
class FailuresTest {
    @Test
    void aDatabaseFailureIsDescribedWithoutItsStatementOrBoundValues() {
        SQLException driver = new SQLException("ERROR: duplicate key value violates unique constraint. Detail: Key (user_id)=(alice@example.com)");
        RuntimeException jdbi = new IllegalStateException("insert into messages values (?, ?) [arguments:{'my address is 1 Main St', 'alice'}]", driver);

        String line = Failures.describe(new CompletionException(jdbi));

        assertThat(line).startsWith("java.lang.IllegalStateException <- java.sql.SQLException at ")
                .doesNotContain("alice").doesNotContain("Main St").doesNotContain("insert into");
    }

    @Test
    void theJvmsOwnMessagesAndTheGatewaysAreKept() {
        assertThat(Failures.describe(new NullPointerException("Cannot invoke \"String.length()\" because \"s\" is null")))
                .contains("because \"s\" is null");
        assertThat(Failures.describe(new InvalidRequestException("'model' is required", "model"))).contains("'model' is required");
    }

    @Test
    void aCauseCycleEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);

        assertThat(Failures.describe(a)).isNotBlank();
    }
}
