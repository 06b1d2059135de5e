package io.sluice.app.config;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;
import io.sluice.domain.Encoding;
import io.sluice.http.server.ServerSettings;
import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code sluice.yaml} (or the file given), environment variables and command-line overrides, in rising order
 * of precedence, and turns them into validated {@link GatewaySettings}. Any problem is a {@link ConfigProblem}
 * naming the key. Also applies the OpenAI SDKs' own variables: with {@code OPENAI_API_KEY} set, unconfigured
 * models go to OpenAI (or {@code OPENAI_BASE_URL}); with no upstream at all, the simulator is the upstream.
 */
public final class ConfigLoader {
    public static final String DEFAULT_FILE = "sluice.yaml";
    public static final String OPENAI_PROVIDER = "openai";
    public static final String SIMULATOR_PROVIDER = "simulator";
    public static final String OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";
    private static final int OVERRIDE_ORDINAL = 500;

    private ConfigLoader() {}

    /**
     * @param file      the config file; empty means {@code ./sluice.yaml} when it exists, else defaults only
     * @param env       the process environment (OPENAI_API_KEY, OPENAI_BASE_URL)
     * @param overrides properties that win over everything, e.g. {@code sluice.server.port} from {@code --port}
     */
    public static GatewaySettings load(Optional<Path> file, Map<String, String> env, Map<String, String> overrides) {
        SluiceConfig config = read(file, overrides);
        // the log format first, so that what reading the rest warns of is in it too
        io.sluice.app.logging.LogSetup.apply(logSettings(config));
        return settings(config, env);
    }

    static SluiceConfig read(Optional<Path> file, Map<String, String> overrides) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .addDefaultSources()
                // ${VAR} and ${VAR:default} in values: without the default interceptors the text stays literal, and an
                // admin key written as ${SLUICE_ADMIN_KEY:} was that literal, known to anyone who read the docs
                .addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(overrides, "command line", OVERRIDE_ORDINAL))
                .withConverter(java.time.Duration.class, 200, new DurationConverter())
                .withMapping(SluiceConfig.class);
        Path path = file.orElse(Path.of(DEFAULT_FILE));
        if (file.isPresent() && !Files.isRegularFile(path)) {
            throw new ConfigProblem("--config", "no such file: " + path);
        }
        if (Files.isRegularFile(path)) {
            try {
                builder.withSources(new YamlConfigSource(path.toUri().toURL(), 250));
            } catch (MalformedURLException e) {
                throw new ConfigProblem("--config", "not a readable path: " + path);
            } catch (IOException | RuntimeException e) {
                throw new ConfigProblem("the config file " + path + " is not valid YAML: " + e.getMessage(), e);
            }
        }
        try {
            SmallRyeConfig config = builder.build();
            requireSetReferences(config);
            return config.getConfigMapping(SluiceConfig.class);
        } catch (ConfigProblem e) {
            throw e;
        } catch (io.smallrye.config.ConfigValidationException e) {
            // Each problem names its key, e.g. "SRCFG00039: The config property sluice.server.port with the config value ...".
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < e.getProblemCount(); i++) problems.add(e.getProblem(i).getMessage().replaceFirst("^[a-zA-Z.]*Exception: ", ""));
            throw new ConfigProblem(String.join("; ", problems), e);
        } catch (RuntimeException e) {
            throw new ConfigProblem("invalid configuration: " + e.getMessage(), e);
        }
    }

    private static io.sluice.app.logging.LogSettings logSettings(SluiceConfig c) {
        return ConfigProblem.check("sluice.log.format", () -> new io.sluice.app.logging.LogSettings(
                io.sluice.app.logging.LogSettings.format(c.log().format()), c.log().calls()));
    }

    /** {@code ${NAME}} without a default ({@code ${NAME:default}} has one). */
    private static final java.util.regex.Pattern REFERENCE_WITHOUT_DEFAULT = java.util.regex.Pattern.compile("\\$\\{([^}:]+)}");

    /**
     * Refuses any {@code sluice.*} value that references a variable with no default ({@code ${VAR}}) when the variable
     * is not set. SmallRye treats an optional key whose expansion fails as absent, which would, for example, silently
     * run the gateway without its admin key; {@code ${VAR:}} says that an unset variable means no value, on purpose.
     */
    private static void requireSetReferences(SmallRyeConfig config) {
        io.smallrye.config.Expressions.withoutExpansion(() -> {
            for (String key : config.getPropertyNames()) {
                if (!key.startsWith("sluice.")) continue;
                String raw = config.getConfigValue(key).getValue();
                if (raw == null) continue;
                var reference = REFERENCE_WITHOUT_DEFAULT.matcher(raw);
                while (reference.find()) {
                    String variable = reference.group(1);
                    if (config.getConfigValue(variable).getValue() == null) {
                        throw new ConfigProblem(key, "references ${" + variable + "}, which is not set; set it, or write ${" + variable
                                + ":} to run without it on purpose");
                    }
                }
            }
        });
    }

    /** A call's connection carries no byte while its upstream is silent: the idle timeout must outlast every provider's. */
    private static void requireIdleAboveSilence(ServerSettings server, java.util.List<io.sluice.ports.out.ProviderSettings> providers) {
        for (var p : providers) {
            if (p.timeout().compareTo(server.idleTimeout()) >= 0) {
                throw new ConfigProblem("sluice.server.idle-timeout", "must be longer than provider '" + p.name() + "''s timeout ("
                        + p.timeout() + "), or its calls would be cut while they wait; it is " + server.idleTimeout());
            }
        }
    }

    /** The settings, one section at a time; each reader names the keys it checks. */
    static GatewaySettings settings(SluiceConfig c, Map<String, String> env) {
        ServerSettings server = ServerReader.read(c);
        Encoding fallback = Encoding.fromName(c.fallbackEncoding())
                .orElseThrow(() -> new ConfigProblem("sluice.fallback-encoding", "unknown encoding '" + c.fallbackEncoding()
                        + "'; use o200k_base or cl100k_base"));
        UpstreamsReader.Upstreams upstreams = UpstreamsReader.read(c, env, fallback);
        requireIdleAboveSilence(server, upstreams.providers());
        ModelsReader.Models models = ModelsReader.read(c, upstreams, fallback);
        ContextReader.Context context = ContextReader.read(c, models.names(), upstreams.passthrough());
        return GatewaySettings.builder(server, StorageReader.read(c))
                .providers(upstreams.providers()).passthroughProvider(upstreams.passthrough()).startSimulator(upstreams.startSimulator())
                .endpoints(upstreams.endpoints()).models(models.specs()).modelEndpoints(models.endpoints()).fallbackEncoding(fallback)
                .context(context.defaults()).cache(context.cache()).summary(context.summary()).semantic(context.semantic())
                .sla(SlaReader.read(c, models.names())).limits(LimitsReader.read(c)).commitBillBeforeAnswer(c.storage().commitBillBeforeAnswer())
                .redis(LimitsReader.redis(c)).requirePrices(c.pricing().require())
                .responseCache(ResponseCacheReader.read(c, java.util.Set.copyOf(models.names()), c.routes().keySet())).retention(ConfigProblem.check("sluice.retention", () -> new RetentionSettings(c.retention().days(),
                        c.retention().owners(), c.retention().sweepInterval(), c.retention().ledgerDays())))
                .log(logSettings(c))
                .batches(ConfigProblem.check("sluice.batch", () -> io.sluice.engine.batch.BatchSettings.of(c.batch().pollInterval(), c.batch().concurrency(),
                        c.batch().window())))
                .build();
    }
}
