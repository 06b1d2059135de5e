package io.sluice.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Prices in US dollars per million tokens, and where they came from ({@code source}: {@value #CONFIGURED}, the model
 * catalog, or {@value #NONE} for a model nobody priced, which costs nothing and so escapes every cap). Exact:
 * BigDecimal, never double. Cached input (prompt-cache reads) and cache writes default to the input price when a
 * provider has no price of its own for them.
 */
public record Prices(BigDecimal inputPerMillion, BigDecimal outputPerMillion, BigDecimal cachedInputPerMillion, BigDecimal cacheWritePerMillion,
                     String source) {
    public static final String CONFIGURED = "config";
    public static final String NONE = "none";
    public static final Prices FREE = new Prices(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
    /** A model with no price from configuration or the catalog. */
    public static final Prices UNKNOWN = new Prices(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, NONE);
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    /** Costs are kept to the nano-dollar; finer digits are never billed. */
    public static final int COST_SCALE = 9;

    public Prices {
        requireNonNegative(inputPerMillion, "inputPerMillion");
        requireNonNegative(outputPerMillion, "outputPerMillion");
        requireNonNegative(cachedInputPerMillion, "cachedInputPerMillion");
        requireNonNegative(cacheWritePerMillion, "cacheWritePerMillion");
        Require.nonBlank(source, "source");
    }

    /** Configured prices; cache writes at the input price. */
    public Prices(BigDecimal inputPerMillion, BigDecimal outputPerMillion, BigDecimal cachedInputPerMillion) {
        this(inputPerMillion, outputPerMillion, cachedInputPerMillion, inputPerMillion, CONFIGURED);
    }

    public static Prices of(String input, String output) {
        return new Prices(new BigDecimal(input), new BigDecimal(output), new BigDecimal(input));
    }

    /** Whether anyone priced the model; an unpriced one is billed nothing. */
    public boolean known() {
        return !NONE.equals(source);
    }

    /**
     * The exact cost of a usage, in dollars, at nano-dollar scale (rounded half up at the 9th decimal): plain input,
     * prompt-cache reads and writes, and output, each at its price.
     */
    public BigDecimal cost(Usage usage) {
        long plainInput = (long) usage.promptTokens() - usage.cachedPromptTokens() - usage.cacheWriteTokens();
        BigDecimal micro = inputPerMillion.multiply(BigDecimal.valueOf(plainInput))
                .add(cachedInputPerMillion.multiply(BigDecimal.valueOf(usage.cachedPromptTokens())))
                .add(cacheWritePerMillion.multiply(BigDecimal.valueOf(usage.cacheWriteTokens())))
                .add(outputPerMillion.multiply(BigDecimal.valueOf(usage.completionTokens())));
        return micro.divide(MILLION, COST_SCALE, RoundingMode.HALF_UP);
    }

    private static void requireNonNegative(BigDecimal value, String field) {
        Require.nonNull(value, field);
        if (value.signum() < 0) throw new IllegalArgumentException("'" + field + "' must not be negative, was " + value);
    }
}
