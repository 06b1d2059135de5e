package io.sluice.app;

import io.sluice.app.config.ConfigLoader;
import io.sluice.app.config.ConfigProblem;
import io.sluice.app.config.GatewaySettings;
import io.sluice.domain.budget.Budget;
import io.sluice.domain.ContextStrategy;
import io.sluice.domain.keys.ApiKey;
import io.sluice.domain.keys.KeyPolicy;
import io.sluice.engine.keys.ApiKeyService;
import io.sluice.jdbc.JdbcStorage;
import io.sluice.ports.in.ApiKeys;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
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
            KeyPolicy p = k.policy();
            return k.id() + "  owner=" + k.owner() + (k.name() == null ? "" : "  name=" + k.name())
                    + p.route().map(r -> "  route=" + r).orElse("") + p.strategy().map(c -> "  context-strategy=" + c).orElse("")
                    + p.tier().map(t -> "  tier=" + t).orElse("") + (p.rpm() > 0 ? "  rpm=" + p.rpm() : "")
                    + (p.tpm() > 0 ? "  tpm=" + p.tpm() : "") + (p.maxPromptTokens() > 0 ? "  max-prompt-tokens=" + p.maxPromptTokens() : "")
                    + p.budgets().entrySet().stream().map(b -> "  budget-" + b.getKey().name().toLowerCase(Locale.ROOT) + "=$"
                            + b.getValue().toPlainString()).collect(Collectors.joining())
                    + (k.active() ? "" : "  revoked=" + k.revokedAt().orElseThrow());
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key; its secret is printed once.")
    static final class Create extends KeysAction {
        @Option(names = "--owner", required = true, description = "The tenant whose conversations and usage the key sees.")
        String owner;

        @Option(names = "--name", description = "A label for people.")
        String name;

        @Option(names = "--route", description = "The model or route that serves a call naming no model.")
        String route;

        @Option(names = "--context-strategy", description = "The key's default context strategy, e.g. sliding_window(6).")
        String strategy;

        @Option(names = "--tier", description = "The key's default SLA tier.")
        String tier;

        @Option(names = "--rpm", defaultValue = "0", description = "Requests per minute for this key (0: no limit of its own).")
        long rpm;

        @Option(names = "--tpm", defaultValue = "0", description = "Tokens per minute for this key (0: no limit of its own).")
        long tpm;

        @Option(names = "--max-prompt-tokens", defaultValue = "0", description = "The largest prompt one call may send, in tokens (0: no cap).")
        long maxPromptTokens;

        @Option(names = "--budget", description = "A hard cap for this key, PERIOD=USD with PERIOD day, month or total; repeatable.")
        Map<String, BigDecimal> budgets = new LinkedHashMap<>();

        @Override
        int run(ApiKeys keys, PrintWriter out) {
            KeyPolicy policy;
            try {
                policy = policy();
            } catch (RuntimeException e) { // a bad value: say which, never a stack trace
                spec.commandLine().getErr().println("sluice: " + e.getMessage());
                return 2;
            }
            ApiKeys.Issued issued = join(keys.create(owner, name, policy));
            out.println(describe(issued.key()));
            out.println(issued.secret());
            out.println("(the secret above is shown only now; store it safely)");
            return 0;
        }

        private KeyPolicy policy() {
            Map<Budget.Period, BigDecimal> caps = new EnumMap<>(Budget.Period.class);
            budgets.forEach((period, usd) -> caps.put(period(period), usd));
            return new KeyPolicy(Optional.ofNullable(route), Optional.ofNullable(strategy).map(ContextStrategy::parse),
                    Optional.ofNullable(tier), rpm, tpm, caps, maxPromptTokens);
        }

        private static Budget.Period period(String name) {
            for (Budget.Period p : Budget.Period.values()) if (p.name().equalsIgnoreCase(name.strip())) return p;
            throw new IllegalArgumentException("unknown budget period '" + name + "'; use day, month or total");
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
