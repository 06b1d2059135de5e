package io.sluice.app;

import io.sluice.app.config.ConfigLoader;
import io.sluice.app.config.ConfigProblem;
import io.sluice.app.config.GatewaySettings;
import io.sluice.testkit.simulator.SimulatorMain;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code sluice} command line. */
@Command(name = "sluice", mixinStandardHelpOptions = true, version = "sluice 0.1.0",
        description = "An LLM gateway: conversation memory, SLA policies, cost and flow control for OpenAI-style chat calls.",
        subcommands = {Main.Serve.class, Main.SimulatorCommand.class, KeysCommand.class, io.sluice.app.tune.TuneCommand.class})
public final class Main {
    public static void main(String[] args) {
        io.sluice.app.logging.LogSetup.routeJul();
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the gateway.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--port", description = "HTTP port (default: sluice.server.port, 8080).")
        Integer port;

        @Option(names = "--config", description = "Config file (default: ./sluice.yaml when present).")
        Path config;

        @Override
        public Integer call() throws InterruptedException {
            Map<String, String> overrides = new HashMap<>();
            if (port != null) overrides.put("sluice.server.port", Integer.toString(port));
            GatewaySettings settings;
            Gateway gateway;
            try {
                settings = ConfigLoader.load(Optional.ofNullable(config), System.getenv(), overrides);
                gateway = Gateway.start(settings);
            } catch (ConfigProblem e) {
                System.err.println("sluice: configuration error: " + e.getMessage());
                return 2;
            } catch (RuntimeException e) {
                System.err.println("sluice: could not start: " + describe(e));
                return 1;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                gateway.close();
                stopped.countDown();
            }, "sluice-shutdown"));
            stopped.await();
            return 0;
        }

        private static String describe(Throwable e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            return root == e ? e.getMessage() : e.getMessage() + " (cause: " + root.getMessage() + ")";
        }
    }

    @Command(name = "simulator", description = "Run the upstream simulator (an OpenAI-compatible fake upstream). "
            + "Flags: --port N --latency-ms N --ttfc-ms N --chunk-delay-ms N --rpm N --retry-after-s N --seed N --rate-FAULT P")
    static final class SimulatorCommand implements Callable<Integer> {
        @CommandLine.Unmatched
        List<String> args = new java.util.ArrayList<>();

        @Override
        public Integer call() throws InterruptedException {
            SimulatorMain.main(args.toArray(String[]::new));
            return 0;
        }
    }
}
