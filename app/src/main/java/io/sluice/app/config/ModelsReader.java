package io.sluice.app.config;

import static io.sluice.app.config.ConfigProblem.check;

import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code sluice.models}: each model's provider, upstream name, window, encoding and prices, and the providers that serve it. */
final class ModelsReader {
    private ModelsReader() {}

    /** The models (the simulator's first, when it runs), and for each model served by several providers, their names. */
    record Models(List<ModelSpec> specs, Map<String, List<String>> endpoints) {
        List<String> names() {
            return specs.stream().map(ModelSpec::name).toList();
        }
    }

    static Models read(SluiceConfig c, UpstreamsReader.Upstreams upstreams, Encoding fallback) {
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
            Prices prices = check(key, () -> new Prices(m.inputPrice(), m.outputPrice(), m.cachedInputPrice().orElse(m.inputPrice())));
            models.add(check(key, () -> spec(name, m.provider(), m.upstreamName().orElse(null), m.contextWindow(), encoding, prices, fallback)));
            m.endpoints().ifPresent(list -> {
                for (String e : list) {
                    if (!providers.contains(e)) throw new ConfigProblem(key + ".endpoints", "unknown provider '" + e + "'; configured: " + providers);
                }
                endpoints.put(name, List.copyOf(list));
            });
        });
        return new Models(models, endpoints);
    }

    /** A model's spec; its encoding, when not configured, is OpenAI's for the model's name, else the fallback. */
    static ModelSpec spec(String name, String provider, String upstream, int window, Encoding encoding, Prices prices, Encoding fallback) {
        Encoding e = encoding != null ? encoding : Encoding.forOpenAiModel(upstream != null ? upstream : name).orElse(fallback);
        return new ModelSpec(name, provider, upstream, window, e, prices);
    }
}
