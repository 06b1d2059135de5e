package io.sluice.domain;

import java.time.Duration;
import java.util.Collection;

/** Argument checks for compact constructors; messages name the field, e.g. {@code 'model' must not be null}. */
public final class Require {
    private Require() {}

    public static <T> T nonNull(T value, String field) {
        if (value == null) throw new IllegalArgumentException("'" + field + "' must not be null");
        return value;
    }

    public static String nonBlank(String value, String field) {
        if (nonNull(value, field).isBlank()) throw new IllegalArgumentException("'" + field + "' must not be blank");
        return value;
    }

    public static long nonNegative(long value, String field) {
        if (value < 0) throw new IllegalArgumentException("'" + field + "' must not be negative, was " + value);
        return value;
    }

    public static int positive(int value, String field) {
        if (value <= 0) throw new IllegalArgumentException("'" + field + "' must be positive, was " + value);
        return value;
    }

    public static Duration positive(Duration value, String field) {
        if (nonNull(value, field).isNegative() || value.isZero()) throw new IllegalArgumentException("'" + field + "' must be positive, was " + value);
        return value;
    }

    public static <C extends Collection<?>> C nonEmpty(C value, String field) {
        if (nonNull(value, field).isEmpty()) throw new IllegalArgumentException("'" + field + "' must not be empty");
        return value;
    }
}
