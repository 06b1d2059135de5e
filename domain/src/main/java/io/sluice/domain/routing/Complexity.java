package io.sluice.domain.routing;

import java.util.Locale;

/**
 * How demanding a call is, as the {@link ComplexityClassifier} judges it; also the capability tier of a model in a
 * degradation chain: the most demanding calls it is fit to start. Ordered from least to most demanding.
 */
public enum Complexity {
    SIMPLE, MODERATE, COMPLEX;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Complexity parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown capability tier '" + text + "'; use simple, moderate or complex");
        }
    }
}
