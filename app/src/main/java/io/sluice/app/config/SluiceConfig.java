package io.sluice.app.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Map;
import java.util.Optional;

/**
 * {@code sluice.yaml}, as SmallRye Config maps it. Every key can be overridden by an environment variable:
 * {@code sluice.server.port} is {@code SLUICE_SERVER_PORT}. Defaults here are the embedded defaults.
 */
@ConfigMapping(prefix = "sluice")
public interface SluiceConfig {
    Server server();

    Auth auth();

    interface Auth {
        /**
         * The admin key. When set, every /v1 call needs a gateway API key (created through /admin/keys or
         * {@code sluice keys create}) and every /admin call this key; when not, the gateway is open to one tenant.
         */
        @WithName("admin-key")
        Optional<String> adminKey();

        /** How long an authenticated gateway key is remembered; revocation reaches other replicas within it. 0s: never. */
        @WithName("key-cache-ttl")
        @WithDefault("5s")
        java.time.Duration keyCacheTtl();
    }

    StorageConfig storage();

    ContextConfig context();

    /** Upstream provider instances by name. */
    Map<String, ProviderConfig> providers();

    /** Models served by name. */
    Map<String, ModelConfig> models();

    /** The provider that serves model names not listed under {@code models}; none means such names are 404. */
    @WithName("passthrough-provider")
    Optional<String> passthroughProvider();

    /** {@code sluice.response-cache}: answers kept and replayed, identical calls coalesced; off by default. */
    @WithName("response-cache")
    ResponseCacheConfig responseCache();

    /** {@code sluice.pricing}: what to do with a model nobody priced. */
    Pricing pricing();

    interface Pricing {
        /**
         * Refuse a model with no price from the configuration or the model catalog (at start for a configured model,
         * with 400 {@code model_not_priced} for a pass-through one), so that caps never silently miss its spend.
         */
        @WithDefault("false")
        boolean require();
    }

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

        /** How far behind an event loop may fall before new chat calls on it get a 503; 0 never refuses one. */
        @WithName("max-event-loop-lag")
        @WithDefault("500ms")
        java.time.Duration maxEventLoopLag();

        /** A connection that carries no byte either way for this long is closed; longer than any provider's timeout. */
        @WithName("idle-timeout")
        @WithDefault("2m")
        java.time.Duration idleTimeout();

        /** How long a client has to send a request's body after its head (408 past it). */
        @WithName("request-read-timeout")
        @WithDefault("30s")
        java.time.Duration requestReadTimeout();
    }

    Redis redis();

    /** How long conversations are kept after their last turn; purged in the background. */
    Retention retention();

    interface Retention {
        /** Days a conversation is kept after its last turn, for every owner not named below; 0 keeps them forever. */
        @WithDefault("0")
        int days();

        /** Days per owner, over {@code days}. */
        Map<String, Integer> owners();

        @WithName("sweep-interval")
        @WithDefault("1h")
        java.time.Duration sweepInterval();

        /**
         * Days the raw usage ledger (a row an attempt, for audit) is kept; 0 keeps it forever. Reports and budgets
         * read the day rollups, which are kept forever. On PostgreSQL whole months are dropped once wholly past it.
         */
        @WithName("ledger-days")
        @WithDefault("0")
        int ledgerDays();
    }

    /** How the Batch API's batches are run. */
    Batch batch();

    interface Batch {
        /** How often the runner looks at unfinished batches (asks providers how far they got, takes up a stopped replica's). */
        @WithName("poll-interval")
        @WithDefault("10s")
        java.time.Duration pollInterval();

        /** How many of a batch's requests the gateway runs at once, for a provider without a batch API. */
        @WithDefault("4")
        int concurrency();

        /** How long a batch may run before it expires (what has not run by then is not run); clients name 24h. */
        @WithDefault("24h")
        java.time.Duration window();
    }

    /** How the gateway logs. */
    Log log();

    interface Log {
        /** {@code text}, or {@code json}: one JSON object per line. */
        @WithDefault("text")
        String format();

        /** One record per call as it ends (request id, trace id, owner, model, status, latency). */
        @WithDefault("false")
        boolean calls();
    }

    SlaConfig sla();

    /** Names clients may use as their model, each served by a degradation chain or a canary split of chains. */
    Map<String, RouteConfig> routes();

    ClassifierConfig classifier();

    LimitsConfig limits();

    /** Hard caps on spend, in US dollars; none by default. */
    BudgetsConfig budgets();

    interface Redis {
        @WithDefault("redis://127.0.0.1:6379")
        String uri();

        /** Each Redis command fails after this: well inside any call's deadline, so that Redis going away never hangs a call. */
        @WithName("command-timeout")
        @WithDefault("500ms")
        java.time.Duration commandTimeout();
    }

}
