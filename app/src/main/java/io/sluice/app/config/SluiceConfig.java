package io.sluice.app.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code sluice.yaml}, as SmallRye Config maps it. Every key can be overridden by an environment variable:
 * {@code sluice.server.port} is {@code SLUICE_SERVER_PORT}. Defaults here are the embedded defaults.
 */
@ConfigMapping(prefix = "sluice")
public interface SluiceConfig {
    Server server();

    Storage storage();

    Context context();

    /** Upstream provider instances by name. */
    Map<String, Provider> providers();

    /** Models served by name. */
    Map<String, Model> models();

    /** The provider that serves model names not listed under {@code models}; none means such names are 404. */
    @WithName("passthrough-provider")
    Optional<String> passthroughProvider();

    /** The encoding assumed for models that are not OpenAI's: an approximation of their tokenizer. */
    @WithName("fallback-encoding")
    @WithDefault("o200k_base")
    String fallbackEncoding();

    interface Server {
        /** Loopback by default: the gateway has no client authentication yet, so it must not be an open relay. */
        @WithDefault("127.0.0.1")
        String host();

        @WithDefault("8080")
        int port();

        @WithName("max-body-bytes")
        @WithDefault("4194304")
        long maxBodyBytes();
    }

    interface Context {
        /** For stored conversations: {@code token_budget}, {@code sliding_window(n)} or {@code full}. */
        @WithName("default-strategy")
        @WithDefault("token_budget")
        String defaultStrategy();

        /** Tokens kept free for the reply when a request sets no max_tokens (at most half the window). */
        @WithName("reply-reserve-tokens")
        @WithDefault("1024")
        int replyReserveTokens();

        Cache cache();

        Summary summary();

        Semantic semantic();
    }

    interface Semantic {
        /** {@code local} (lexical, in process) or the name of an embedding model served by a provider. */
        @WithDefault("local")
        String embedder();

        /** How many of the most relevant older messages are considered for a context. */
        @WithDefault("50")
        int candidates();
    }

    interface Summary {
        /** The (cheap) model that writes rolling summaries; by default the conversation's own model. */
        java.util.Optional<String> model();

        /** Refresh the summary in the background once the messages it does not cover pass this many tokens. */
        @WithName("threshold-tokens")
        @WithDefault("4000")
        int thresholdTokens();

        /** The newest messages worth this many tokens are never folded into a summary. */
        @WithName("keep-recent-tokens")
        @WithDefault("1500")
        int keepRecentTokens();

        @WithName("max-summary-tokens")
        @WithDefault("500")
        int maxSummaryTokens();
    }

    interface Cache {
        /** {@code local} (this process; one replica), {@code redis} (shared by replicas) or {@code none}. */
        @WithDefault("local")
        String type();

        @WithDefault("24h")
        java.time.Duration ttl();

        /** How many tokens of a conversation's newest messages an entry keeps: at least the largest window in use. */
        @WithName("max-tokens")
        @WithDefault("200000")
        long maxTokens();

        /** How many tokens the local cache holds in all (about 4 bytes of text each). */
        @WithName("max-total-tokens")
        @WithDefault("20000000")
        long maxTotalTokens();
    }

    Redis redis();

    Sla sla();

    interface Sla {
        /** The tier of calls that send no {@code X-SLA-Tier}. */
        @WithName("default-tier")
        @WithDefault("deep")
        String defaultTier();

        /** Tiers by name; these replace or add to fast (1 s), normal (3 s) and deep (8 s). */
        Map<String, Tier> tiers();

        Retry retry();

        Circuit circuit();
    }

    interface Tier {
        @WithName("connect-timeout")
        java.time.Duration connectTimeout();

        @WithName("first-chunk-timeout")
        java.time.Duration firstChunkTimeout();

        java.time.Duration deadline();
    }

    interface Retry {
        @WithName("max-attempts")
        @WithDefault("6")
        int maxAttempts();

        @WithName("base-delay")
        @WithDefault("100ms")
        java.time.Duration baseDelay();

        @WithName("max-delay")
        @WithDefault("2s")
        java.time.Duration maxDelay();

        /** A Retry-After longer than this is shortened to it. */
        @WithName("max-retry-after")
        @WithDefault("10s")
        java.time.Duration maxRetryAfter();
    }

    interface Circuit {
        @WithName("failure-threshold")
        @WithDefault("5")
        int failureThreshold();

        @WithName("success-threshold")
        @WithDefault("2")
        int successThreshold();

        @WithName("open-for")
        @WithDefault("30s")
        java.time.Duration openFor();
    }

    interface Redis {
        @WithDefault("redis://127.0.0.1:6379")
        String uri();
    }

    interface Storage {
        /** {@code embedded} (H2 in a file) or {@code postgres}. */
        @WithDefault("embedded")
        String type();

        Embedded embedded();

        Postgres postgres();
    }

    interface Embedded {
        @WithDefault("./data")
        String path();
    }

    interface Postgres {
        @WithDefault("jdbc:postgresql://127.0.0.1:5432/sluice")
        String url();

        @WithDefault("postgres")
        String user();

        Optional<String> password();

        @WithName("pool-size")
        @WithDefault("16")
        int poolSize();
    }

    interface Provider {
        /** The plugin id: {@code openai}, or the id of a provider plugin on the classpath. */
        @WithDefault("openai")
        String type();

        @WithName("base-url")
        String baseUrl();

        @WithName("api-key")
        Optional<String> apiKey();

        /** How long the upstream may stay silent before the call fails. */
        @WithDefault("60s")
        Duration timeout();

        @WithName("max-connections")
        @WithDefault("200")
        int maxConnections();

        /** This endpoint's share of a model's traffic, among the endpoints that serve it. */
        @WithDefault("1")
        int weight();

        /** Several keys, each with its own budget; used in turn, cooled down on 429, disabled on 401/403. */
        Optional<java.util.List<Key>> keys();

        Map<String, String> options();
    }

    interface Key {
        String key();

        /** Requests per minute this key may send; 0 for no limit. */
        @WithDefault("0")
        int rpm();
    }

    interface Model {
        String provider();

        /** Further providers that also serve this model, for failover. */
        Optional<java.util.List<String>> endpoints();

        /** The model's name at the upstream, when it differs from the name clients use. */
        @WithName("upstream-name")
        Optional<String> upstreamName();

        @WithName("context-window")
        @WithDefault("128000")
        int contextWindow();

        /** {@code o200k_base} or {@code cl100k_base}; by default the model's OpenAI encoding, else the fallback. */
        Optional<String> encoding();

        /** Dollars per million input tokens. */
        @WithName("input-price")
        @WithDefault("0")
        BigDecimal inputPrice();

        @WithName("output-price")
        @WithDefault("0")
        BigDecimal outputPrice();

        /** This model's default context strategy for stored conversations; the gateway's default when not set. */
        @WithName("context-strategy")
        Optional<String> contextStrategy();

        /** A larger-context model that takes calls whose context does not fit this model's window. */
        @WithName("context-fallback")
        Optional<String> contextFallback();

        /** Dollars per million cached input tokens; the input price when not set. */
        @WithName("cached-input-price")
        Optional<BigDecimal> cachedInputPrice();
    }
}
