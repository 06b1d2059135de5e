package io.sluice.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Prices in US dollars per million tokens. Exact: BigDecimal, never double.
 * Cached input defaults to the input price when a provider has no discount.
 */
public record Prices(BigDecimal inputPerMillion, BigDecimal outputPerMillion, BigDecimal cachedInputPerMillion) {
    public static final Prices FREE = new Prices(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    /** Costs are kept to the nano-dollar; finer digits are never billed. */
    public static final int COST_SCALE = 9;

    public Prices {
        requireNonNegative(inputPerMillion, "inputPerMillion");
        requireNonNegative(outputPerMillion, "outputPerMillion");
        requireNonNegative(cachedInputPerMillion, "cachedInputPerMillion");
    }

    public static Prices of(String input, String output) {
        return new Prices(new BigDecimal(input), new BigDecimal(output), new BigDecimal(input));
    }

    /** The exact cost of a usage, in dollars, at nano-dollar scale (rounded half up at the 9th decimal). */
    public BigDecimal cost(Usage usage) {
        long uncachedInput = usage.promptTokens() - usage.cachedPromptTokens();
        BigDecimal micro = inputPerMillion.multiply(BigDecimal.valueOf(uncachedInput))
                .add(cachedInputPerMillion.multiply(BigDecimal.valueOf(usage.cachedPromptTokens())))
                .add(outputPerMillion.multiply(BigDecimal.valueOf(usage.completionTokens())));
        return micro.divide(MILLION, COST_SCALE, RoundingMode.HALF_UP);
    }

    private static void requireNonNegative(BigDecimal value, String field) {
        Require.nonNull(value, field);
        if (value.signum() < 0) throw new IllegalArgumentException("'" + field + "' must not be negative, was " + value);
    }
}
