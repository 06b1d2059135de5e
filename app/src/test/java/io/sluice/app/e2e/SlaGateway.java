package io.sluice.app.e2e;

import io.sluice.app.Gateway;
import io.sluice.app.config.EndpointSettings;
import io.sluice.app.config.GatewaySettings;
import io.sluice.app.config.SlaSettings;
import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.http.server.ServerSettings;
import io.sluice.jdbc.StorageSettings;
import io.sluice.ports.out.ProviderSettings;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A gateway whose model {@code m} is served by one or more endpoints, each a simulator of its own with its own keys,
 * for the SLA tests.
 */
final class SlaGateway implements AutoCloseable {
    final Map<String, Simulator> simulators = new LinkedHashMap<>();
    final Gateway gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    /** @param endpointKeys per endpoint name, its keys */
    SlaGateway(Map<String, List<String>> endpointKeys) throws Exception {
        this(endpointKeys, Duration.ofSeconds(5));
    }

    /** @param upstreamTimeout how long an upstream may stay silent before an attempt fails */
    SlaGateway(Map<String, List<String>> endpointKeys, Duration upstreamTimeout) throws Exception {
        this(endpointKeys, upstreamTimeout, SlaSettings.ofDefaults(), Map.of("m", List.copyOf(endpointKeys.keySet())));
    }

    /**
     * @param sla    the SLA settings, routes included
     * @param models per model name, the endpoints that serve it (its provider first)
     */
    SlaGateway(Map<String, List<String>> endpointKeys, Duration upstreamTimeout, SlaSettings sla, Map<String, List<String>> models)
            throws Exception {
        this(endpointKeys, upstreamTimeout, sla, models, io.sluice.app.config.LimitSettings.NONE);
    }

    SlaGateway(Map<String, List<String>> endpointKeys, Duration upstreamTimeout, SlaSettings sla, Map<String, List<String>> models,
               io.sluice.app.config.LimitSettings limits) throws Exception {
        List<ProviderSettings> providers = new ArrayList<>();
        List<EndpointSettings> endpoints = new ArrayList<>();
        endpointKeys.forEach((name, keys) -> {
            Simulator sim = new Simulator(SimulatorConfig.ofDefaults());
            sim.start(0);
            simulators.put(name, sim);
            providers.add(new ProviderSettings(name, "openai", sim.baseUrl(), keys.getFirst(), upstreamTimeout, 50, Map.of()));
            endpoints.add(new EndpointSettings(name, 1, keys.stream().map(k -> new EndpointSettings.Key(k, 0)).toList()));
        });
        List<ModelSpec> specs = new ArrayList<>();
        models.forEach((name, serving) -> specs.add(new ModelSpec(name, serving.getFirst(), "gpt-4o-mini", 128_000, Encoding.O200K_BASE, Prices.FREE)));
        GatewaySettings settings = GatewaySettings.builder(new ServerSettings("127.0.0.1", 0, 1 << 20),
                StorageSettings.embedded(Files.createTempDirectory("sluice-sla").toString())).providers(providers).models(specs)
                .endpoints(endpoints).modelEndpoints(models).sla(sla).limits(limits).build();
        gateway = Gateway.start(settings);
    }

    /** The OpenAI-compatible API's base URL, as an SDK takes it. */
    String baseUrl() {
        return gateway.baseUrl();
    }

    Simulator simulator(String endpoint) {
        return simulators.get(endpoint);
    }

    HttpResponse<String> chat(String text, String... headers) throws Exception {
        return chat(text, false, headers);
    }

    HttpResponse<String> chat(String text, boolean stream, String... headers) throws Exception {
        return chatTo("m", null, text, stream, headers);
    }

    /** A call to {@code model} (a model or a route) on behalf of {@code user} (none when null). */
    HttpResponse<String> chatTo(String model, String user, String text, boolean stream, String... headers) throws Exception {
        String body = "{\"model\":" + TestGateway.quote(model) + "," + (stream ? "\"stream\":true," : "")
                + (user == null ? "" : "\"user\":" + TestGateway.quote(user) + ",")
                + "\"messages\":[{\"role\":\"user\",\"content\":" + TestGateway.quote(text) + "}]}";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) request.headers(headers);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> put(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path)).header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        gateway.close();
        for (Simulator s : simulators.values()) {
            try {
                s.close();
            } catch (RuntimeException alreadyClosed) {
                // a test may have taken an endpoint down itself
            }
        }
    }
}
