package io.sluice.app.config;

import static io.sluice.app.config.ConfigProblem.check;

import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.engine.models.ModelCatalog;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sluice.models}: each model's provider, upstream name, window, encoding and prices, and the providers that
 * serve it; a price or window not configured comes from the model catalog ({@link ModelCatalog}).
 */
final class ModelsReader {
    private static final System.Logger LOG = System.getLogger(ModelsReader.class.getName());

    private ModelsReader() {}

    /** The models (the simulator's first, when it runs), and for each model served by several providers, their names. */
    record Models(List<ModelSpec> specs, Map<String, List<String>> endpoints) {
        List<String> names() {
            return specs.stream().map(ModelSpec::name).toList();
        }
    }

    static Models read(SluiceConfig c, UpstreamsReader.Upstreams upstreams, Encoding fallback) {
        ModelCatalog catalog = ModelCatalog.builtIn();
        boolean requirePrices = c.pricing().require();
        List<String> providers = upstreams.names();
        List<ModelSpec> models = new ArrayList<>(upstreams.simulatorModels());
        Map<String, List<String>> endpoints = new HashMap<>();
        c.models().forEach((name, m) -> {
            String key = "sluice.models.\"" + name + "\"";
            if (!providers.contains(m.provider())) {
                throw new ConfigProblem(key + ".provider", "unknown provider '" + m.provider() + "'; configured: " + providers);
            }
            Encoding encoding = m.encoding().map(e -> Encoding.fromName(e).orElseThrow(() ->
                    new ConfigProblem(key + ".encoding", "unknown encoding '" + e + "'; use o200k_base or cl100k_base"))).orElse(null);
            Optional<ModelCatalog.Entry> known = catalog.find(m.upstreamName().orElse(name)).or(() -> catalog.find(name));
            Prices prices = check(key, () -> prices(key, m, known, requirePrices));
            int window = window(name, m);
            models.add(check(key, () -> spec(name, m.provider(), m.upstreamName().orElse(null), window, encoding, prices, fallback)));
            m.endpoints().ifPresent(list -> {
                for (String e : list) {
                    if (!providers.contains(e)) throw new ConfigProblem(key + ".endpoints", "unknown provider '" + e + "'; configured: " + providers);
                }
                endpoints.put(name, List.copyOf(list));
            });
        });
        return new Models(models, endpoints);
    }

    /** A model's context window: configured, else the model catalog's, else {@value ModelSpec#DEFAULT_CONTEXT_WINDOW}. */
    static int window(String name, ModelConfig m) {
        ModelCatalog catalog = ModelCatalog.builtIn();
        return m.contextWindow().orElseGet(() -> catalog.find(m.upstreamName().orElse(name)).or(() -> catalog.find(name))
                .map(ModelCatalog.Entry::contextWindow).orElse(ModelSpec.DEFAULT_CONTEXT_WINDOW));
    }

    /** The configured prices when any is set, else the catalog's; with neither, none (refused when prices are required). */
    private static Prices prices(String key, ModelConfig m, Optional<ModelCatalog.Entry> known, boolean requirePrices) {
        if (m.inputPrice().isPresent() || m.outputPrice().isPresent() || m.cachedInputPrice().isPresent() || m.cacheWritePrice().isPresent()) {
            BigDecimal input = m.inputPrice().orElse(BigDecimal.ZERO);
            return new Prices(input, m.outputPrice().orElse(BigDecimal.ZERO), m.cachedInputPrice().orElse(input), m.cacheWritePrice().orElse(input),
                    Prices.CONFIGURED);
        }
        if (known.isPresent()) return known.get().prices();
        if (requirePrices) {
            throw new ConfigProblem(key + ".input-price", "this model has no price here or in the model catalog, and sluice.pricing.require is"
                    + " set: configure input-price and output-price");
        }
        LOG.log(System.Logger.Level.WARNING, key + " has no price here or in the model catalog: its calls are billed nothing and no budget"
                + " sees them; configure input-price and output-price");
        return Prices.UNKNOWN;
    }

    /** A model's spec; its encoding, when not configured, is OpenAI's for the model's name, else the fallback. */
    static ModelSpec spec(String name, String provider, String upstream, int window, Encoding encoding, Prices prices, Encoding fallback) {
        Encoding e = encoding != null ? encoding : Encoding.forOpenAiModel(upstream != null ? upstream : name).orElse(fallback);
        return new ModelSpec(name, provider, upstream, window, e, prices);
    }
}
