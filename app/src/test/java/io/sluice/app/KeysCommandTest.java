package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.keys.KeySecrets;
import io.sluice.engine.keys.ApiKeyService;
import io.sluice.jdbc.JdbcStorage;
import io.sluice.jdbc.StorageSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sluice keys} against the database a config file names. */
class KeysCommandTest {
    @TempDir
    Path dir;

    private String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        int code = cli.execute(args);
        return code + "\n" + out;
    }

    @Test
    void createsListsAndRevokesKeysPrintingTheSecretOnlyOnCreation() throws Exception {
        Path config = dir.resolve("sluice.yaml");
        Files.writeString(config, "sluice:\n  storage:\n    embedded:\n      path: " + dir.resolve("data") + "\n");

        String created = run("keys", "create", "--owner", "acme", "--name", "support bot", "--config", config.toString());
        assertThat(created).startsWith("0\n").contains("owner=acme").contains("name=support bot");
        String secret = created.lines().filter(l -> l.startsWith(KeySecrets.PREFIX)).findFirst().orElseThrow();
        String id = created.lines().filter(l -> l.startsWith("key_")).findFirst().orElseThrow().split(" ")[0];

        String listed = run("keys", "list", "--config", config.toString());
        assertThat(listed).contains(id).doesNotContain(secret);

        try (JdbcStorage storage = JdbcStorage.open(StorageSettings.embedded(dir.resolve("data").toString()))) {
            assertThat(new ApiKeyService(storage.apiKeys(), Clock.systemUTC()).authenticate(secret).toCompletableFuture().join()).isPresent();
        }
        assertThat(run("keys", "revoke", id, "--config", config.toString())).startsWith("0\n").contains("revoked=");
        try (JdbcStorage storage = JdbcStorage.open(StorageSettings.embedded(dir.resolve("data").toString()))) {
            assertThat(new ApiKeyService(storage.apiKeys(), Clock.systemUTC()).authenticate(secret).toCompletableFuture().join()).isEmpty();
        }
        assertThat(run("keys", "revoke", "key_missing", "--config", config.toString())).startsWith("1\n").contains("No API key");
    }

    @Test
    void aKeyIsCreatedWithItsDefaultsLimitsAndBudgets() throws Exception {
        Path config = dir.resolve("sluice.yaml");
        Files.writeString(config, "sluice:\n  storage:\n    embedded:\n      path: " + dir.resolve("data") + "\n");
        String created = run("keys", "create", "--owner", "acme", "--tier", "fast", "--context-strategy", "sliding_window(4)",
                "--rpm", "60", "--tpm", "90000", "--max-prompt-tokens", "8000", "--budget", "day=5.50", "--budget", "total=100",
                "--config", config.toString());
        assertThat(created).startsWith("0\n").contains("tier=fast", "context-strategy=sliding_window(4)", "rpm=60", "tpm=90000", "max-prompt-tokens=8000",
                "budget-day=$5.50", "budget-total=$100");
        String secret = created.lines().filter(l -> l.startsWith(KeySecrets.PREFIX)).findFirst().orElseThrow();
        try (JdbcStorage storage = JdbcStorage.open(StorageSettings.embedded(dir.resolve("data").toString()))) {
            var key = new ApiKeyService(storage.apiKeys(), Clock.systemUTC()).authenticate(secret).toCompletableFuture().join().orElseThrow();
            assertThat(key.policy().rpm()).isEqualTo(60);
            assertThat(key.policy().maxPromptTokens()).isEqualTo(8000);
            assertThat(key.policy().budgets().get(io.sluice.domain.budget.Budget.Period.DAY)).isEqualByComparingTo("5.50");
        }
        assertThat(run("keys", "create", "--owner", "acme", "--budget", "week=5", "--config", config.toString()))
                .startsWith("2\n").contains("unknown budget period 'week'").doesNotContain("Exception");
    }
}
