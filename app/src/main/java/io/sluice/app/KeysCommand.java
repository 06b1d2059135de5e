package io.sluice.app;

import io.sluice.app.config.ConfigLoader;
import io.sluice.app.config.ConfigProblem;
import io.sluice.app.config.GatewaySettings;
import io.sluice.domain.keys.ApiKey;
import io.sluice.engine.keys.ApiKeyService;
import io.sluice.jdbc.JdbcStorage;
import io.sluice.ports.in.ApiKeys;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice keys create|list|revoke}: the gateway's API keys, in the database the config names, without a
 * running gateway. A key's secret is printed once, by {@code create}.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Create, list and revoke the gateway's API keys.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {
    abstract static class KeysAction implements Callable<Integer> {
        @Option(names = "--config", description = "Config file (default: ./sluice.yaml when present).")
        Path config;

        @Spec
        CommandSpec spec;

        abstract int run(ApiKeys keys, PrintWriter out);

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            GatewaySettings settings;
            try {
                settings = ConfigLoader.load(Optional.ofNullable(config), System.getenv(), Map.of());
            } catch (ConfigProblem e) {
                spec.commandLine().getErr().println("sluice: configuration error: " + e.getMessage());
                return 2;
            }
            try (JdbcStorage storage = JdbcStorage.open(settings.storage())) {
                return run(new ApiKeyService(storage.apiKeys(), Clock.systemUTC()), out);
            } catch (CompletionException e) {
                spec.commandLine().getErr().println("sluice: " + e.getCause().getMessage());
                return 1;
            }
        }

        static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
            return stage.toCompletableFuture().join();
        }

        static String describe(ApiKey k) {
            return k.id() + "  owner=" + k.owner() + (k.name() == null ? "" : "  name=" + k.name())
                    + (k.active() ? "" : "  revoked=" + k.revokedAt().orElseThrow());
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key; its secret is printed once.")
    static final class Create extends KeysAction {
        @Option(names = "--owner", required = true, description = "The tenant whose conversations and usage the key sees.")
        String owner;

        @Option(names = "--name", description = "A label for people.")
        String name;

        @Override
        int run(ApiKeys keys, PrintWriter out) {
            ApiKeys.Issued issued = join(keys.create(owner, name));
            out.println(describe(issued.key()));
            out.println(issued.secret());
            out.println("(the secret above is shown only now; store it safely)");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never their secrets).")
    static final class ListKeys extends KeysAction {
        @Override
        int run(ApiKeys keys, PrintWriter out) {
            join(keys.list()).stream().map(KeysAction::describe).forEach(out::println);
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key: refused from its next request.")
    static final class Revoke extends KeysAction {
        @Parameters(index = "0", description = "The key's id (key_...).")
        String id;

        @Override
        int run(ApiKeys keys, PrintWriter out) {
            out.println(describe(join(keys.revoke(id))));
            return 0;
        }
    }

    private KeysCommand() {}

}
