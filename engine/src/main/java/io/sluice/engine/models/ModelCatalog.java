package io.sluice.engine.models;

import io.sluice.domain.Prices;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The prices and context windows of well-known models (OpenAI, Anthropic, Google, DeepSeek, Mistral), shipped as
 * {@code catalog.csv} with the date they were taken and their source, for models nobody configured a price for: a
 * model configured without prices, and any model the pass-through provider serves. A name is looked up as given, then
 * without a provider prefix ({@code openai/}, {@code models/}), then without a snapshot date ({@code -2024-07-18},
 * {@code -20250929}) or {@code -latest}, so that a dated snapshot is priced as its model. Immutable and thread-safe.
 */
public final class ModelCatalog {
    /**
     * One model of the catalog; {@code kind} is {@code chat} or {@code embedding}. {@code batchPrices}: the prices of its
     * provider's batch API, or null where the provider has none.
     */
    public record Entry(String model, String provider, String kind, int contextWindow, Prices prices, Prices batchPrices) {}

    private static final String RESOURCE = "catalog.csv";
    private final Map<String, Entry> entries;
    private final String asOf;

    private ModelCatalog(Map<String, Entry> entries, String asOf) {
        this.entries = Map.copyOf(entries);
        this.asOf = asOf;
    }

    /** The catalog shipped in the jar. */
    public static ModelCatalog builtIn() {
        return Holder.BUILT_IN;
    }

    /** No entries: every model unconfigured is unpriced. */
    public static ModelCatalog empty() {
        return new ModelCatalog(Map.of(), "none");
    }

    private static final class Holder {
        static final ModelCatalog BUILT_IN = load();
    }

    /** The date the catalog's prices were taken, as its file states it. */
    public String asOf() {
        return asOf;
    }

    public int size() {
        return entries.size();
    }

    public Optional<Entry> find(String model) {
        if (model == null) return Optional.empty();
        String name = model.strip().toLowerCase(Locale.ROOT);
        Entry exact = entries.get(name);
        if (exact != null) return Optional.of(exact);
        String bare = name.substring(name.lastIndexOf('/') + 1);
        String undated = bare.replaceFirst("-(\\d{4}-\\d{2}-\\d{2}|\\d{8})$", "").replaceFirst("-latest$", "");
        return Optional.ofNullable(entries.getOrDefault(bare, entries.get(undated)));
    }

    /**
     * What a model costs through its provider's batch API: the catalog's batch prices for a model priced by the
     * catalog; for a model whose prices are configured, those prices at the catalog's batch discount for it; its own
     * prices when the catalog knows no batch price for it.
     */
    public Prices batchPrices(io.sluice.domain.ModelSpec spec) {
        Optional<Entry> entry = find(spec.name()).or(() -> find(spec.upstreamName())).filter(e -> e.batchPrices() != null);
        if (entry.isEmpty()) return spec.prices();
        Prices standard = entry.get().prices();
        Prices batch = entry.get().batchPrices();
        Prices own = spec.prices();
        if (!Prices.CONFIGURED.equals(own.source())) return batch;
        return new Prices(scaled(own.inputPerMillion(), batch.inputPerMillion(), standard.inputPerMillion()),
                scaled(own.outputPerMillion(), batch.outputPerMillion(), standard.outputPerMillion()),
                scaled(own.cachedInputPerMillion(), batch.inputPerMillion(), standard.inputPerMillion()),
                scaled(own.cacheWritePerMillion(), batch.inputPerMillion(), standard.inputPerMillion()), Prices.CONFIGURED + " batch");
    }

    /** {@code own} at the ratio {@code batch / standard} (unchanged when the standard price is 0). */
    private static BigDecimal scaled(BigDecimal own, BigDecimal batch, BigDecimal standard) {
        if (standard.signum() == 0) return own;
        return own.multiply(batch).divide(standard, 12, java.math.RoundingMode.HALF_UP).stripTrailingZeros();
    }

    private static ModelCatalog load() {
        try (InputStream in = ModelCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("the model catalog " + RESOURCE + " is missing from the jar");
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Comment lines start with {@code #} (one is {@code # as-of: DATE}); the first other line names the columns. */
    static ModelCatalog parse(BufferedReader lines) throws IOException {
        Map<String, Entry> entries = new HashMap<>();
        String asOf = "unknown";
        boolean header = true;
        int number = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            number++;
            if (line.isBlank()) continue;
            if (line.startsWith("#")) {
                if (line.startsWith("# as-of:")) asOf = line.substring("# as-of:".length()).strip();
                continue;
            }
            if (header) {
                header = false;
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != 10) throw new IllegalStateException(RESOURCE + " line " + number + ": 10 columns expected");
            BigDecimal input = new BigDecimal(f[4]);
            Prices prices = new Prices(input, new BigDecimal(f[5]), f[6].isEmpty() ? input : new BigDecimal(f[6]),
                    f[7].isEmpty() ? input : new BigDecimal(f[7]), "catalog " + asOf);
            // prompt-cache reads and writes at the batch API's discount of the input price
            Prices batch = f[8].isEmpty() ? null : new Prices(new BigDecimal(f[8]), new BigDecimal(f[9]),
                    scaled(prices.cachedInputPerMillion(), new BigDecimal(f[8]), input), scaled(prices.cacheWritePerMillion(), new BigDecimal(f[8]), input),
                    "catalog " + asOf + " batch");
            entries.put(f[0].toLowerCase(Locale.ROOT), new Entry(f[0], f[1], f[2], Integer.parseInt(f[3]), prices, batch));
        }
        return new ModelCatalog(entries, asOf);
    }
}
