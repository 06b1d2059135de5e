package io.sluice.testkit.simulator;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator from the command line until killed.
 * Flags: {@code --port N --latency-ms N --ttfc-ms N --chunk-delay-ms N --rpm N --retry-after-s N --seed N}
 * and {@code --rate-FAULT P} for each fault directive (429, 500, 502, 503, 400, 401, hang, reset, cut).
 */
public final class SimulatorMain {
    private SimulatorMain() {}

    public static void main(String[] args) throws InterruptedException {
        SimulatorConfig config = SimulatorConfig.ofDefaults();
        int port = 9090;
        Duration ttfc = Duration.ZERO;
        Duration chunkDelay = Duration.ZERO;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String flag = args[i];
            String value = args[i + 1];
            switch (flag) {
                case "--port" -> port = Integer.parseInt(value);
                case "--latency-ms" -> config = config.withLatency(Duration.ofMillis(Long.parseLong(value)));
                case "--ttfc-ms" -> ttfc = Duration.ofMillis(Long.parseLong(value));
                case "--chunk-delay-ms" -> chunkDelay = Duration.ofMillis(Long.parseLong(value));
                case "--rpm" -> config = config.withRpmPerKey(Integer.parseInt(value));
                case "--retry-after-s" -> config = config.withRetryAfter(Duration.ofSeconds(Long.parseLong(value)));
                case "--seed" -> config = new SimulatorConfig(config.latency(), config.timeToFirstChunk(), config.chunkDelay(),
                        config.faultRates(), config.retryAfter(), config.rpmPerKey(), config.models(), Long.parseLong(value));
                default -> config = config.withFaultRate(faultOf(flag), Double.parseDouble(value));
            }
        }
        if (args.length % 2 != 0) usage("flag " + args[args.length - 1] + " has no value");
        Simulator simulator = new Simulator(config.withStreamTiming(ttfc, chunkDelay));
        simulator.start("127.0.0.1", port);
        System.out.println("Sluice upstream simulator listening on " + simulator.baseUrl());
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close));
        new CountDownLatch(1).await();
    }

    private static Fault faultOf(String flag) {
        if (flag.startsWith("--rate-")) {
            Fault f = Fault.requestedIn("[sim:" + flag.substring("--rate-".length()) + "]").orElse(null);
            if (f != null) return f;
        }
        usage("unknown flag " + flag);
        return null;
    }

    private static void usage(String problem) {
        System.err.println("simulator: " + problem + "\nflags: --port N --latency-ms N --ttfc-ms N --chunk-delay-ms N --rpm N"
                + " --retry-after-s N --seed N --rate-{429,500,502,503,400,401,hang,reset,cut} P");
        System.exit(2);
    }
}
