package io.sluice.app;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.TypeLiteral;
import io.sluice.app.config.GatewaySettings;
import io.sluice.http.server.GatewayServer;
import io.sluice.jdbc.JdbcStorage;
import io.sluice.ports.out.LlmProvider;
import io.sluice.ports.out.ProviderSettings;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A running gateway: the injector built from {@link GatewayModule} (plus any modules of the embedding application),
 * the HTTP server started, and, when no upstream is configured, the simulator started as the upstream.
 * {@link #close()} stops everything it started, in reverse order.
 */
public final class Gateway implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Gateway.class.getName());

    private final Injector injector;
    private final Simulator simulator;
    private final int port;

    private Gateway(Injector injector, Simulator simulator, int port) {
        this.injector = injector;
        this.simulator = simulator;
        this.port = port;
    }

    public static Gateway start(GatewaySettings settings, Module... extraModules) {
        io.sluice.app.logging.LogSetup.apply(settings.log());
        Simulator simulator = null;
        if (settings.startSimulator()) {
            simulator = new Simulator(SimulatorConfig.ofDefaults());
            simulator.start(0);
            List<ProviderSettings> providers = new ArrayList<>(settings.providers());
            providers.add(new ProviderSettings(io.sluice.app.config.ConfigLoader.SIMULATOR_PROVIDER, "openai", simulator.baseUrl(),
                    null, null, ProviderSettings.DEFAULT_MAX_CONNECTIONS, Map.of()));
            settings = settings.withProviders(providers);
            LOG.log(System.Logger.Level.WARNING, "No upstream is configured (no providers in sluice.yaml, no OPENAI_API_KEY): "
                    + "serving every model from the built-in simulator at " + simulator.baseUrl() + ". Its answers are not from a real model.");
        }
        if (settings.server().adminKeyHash().isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "No admin key is set (sluice.auth.admin-key is unset or empty): authentication is off, "
                    + "every call is the one owner 'default', and /admin is open. Set SLUICE_ADMIN_KEY to turn it on.");
        }
        List<Module> modules = new ArrayList<>(List.of(extraModules));
        modules.addFirst(new GatewayModule(settings));
        try {
            Injector injector = Guice.createInjector(modules);
            int port = injector.getInstance(GatewayServer.class).start();
            LOG.log(System.Logger.Level.INFO, "Sluice listening on http://" + settings.server().host() + ":" + port
                    + " (storage: " + settings.storage().dialect().name().toLowerCase() + ")");
            return new Gateway(injector, simulator, port);
        } catch (RuntimeException e) {
            if (simulator != null) simulator.close();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /** The base URL an OpenAI SDK uses to reach this gateway, ending in {@code /v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port + "/v1";
    }

    public Injector injector() {
        return injector;
    }

    @Override
    public void close() {
        injector.getInstance(GatewayServer.class).close();
        injector.getInstance(Resources.class).close();   // provider clients, Redis
        injector.getInstance(JdbcStorage.class).close();
        injector.getInstance(Vertx.class).close().toCompletionStage().toCompletableFuture().join();
        if (simulator != null) simulator.close();
    }
}
