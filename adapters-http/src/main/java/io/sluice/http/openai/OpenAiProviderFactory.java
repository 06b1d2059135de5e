package io.sluice.http.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.http.internal.OpenAiJson;
import io.sluice.ports.out.LlmProvider;
import io.sluice.ports.out.LlmProviderFactory;
import io.sluice.ports.out.ProviderEnvironment;
import io.sluice.ports.out.ProviderSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

/**
 * Provider type {@value #ID}: any OpenAI-compatible chat-completions endpoint. Uses the host's Vert.x instance when
 * the environment offers one. Thread-safe.
 */
public final class OpenAiProviderFactory implements LlmProviderFactory {
    public static final String ID = "openai";
    /** Opening a connection is never allowed to take the whole call's time. */
    public static final int MAX_CONNECT_TIMEOUT_MS = 10_000;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public LlmProvider create(ProviderSettings settings, ProviderEnvironment environment) {
        Vertx vertx = environment.lookup(Vertx.class).orElseGet(Vertx::vertx);
        HttpClientOptions client = new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) Math.min(settings.timeout().toMillis(), MAX_CONNECT_TIMEOUT_MS));
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(settings.maxConnections());
        ObjectMapper mapper = environment.lookup(ObjectMapper.class).orElseGet(ObjectMapper::new);
        return new OpenAiProvider(settings, vertx, vertx.createHttpClient(client, pool), new OpenAiJson(mapper));
    }
}
