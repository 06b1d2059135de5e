package io.sluice.app.config;

/** A configuration that cannot start the gateway. The message names the key and what is wrong with it. */
public final class ConfigProblem extends RuntimeException {
    public ConfigProblem(String key, String problem) {
        super(key + ": " + problem);
    }

    public ConfigProblem(String message, Throwable cause) {
        super(message, cause);
    }

    /** Builds a value, turning what its constructor refuses into a problem with {@code key}. */
    static <T> T check(String key, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigProblem(key, e.getMessage());
        }
    }

    /** A rate that must be 0 (none) or more. */
    static long nonNegative(String key, long value) {
        if (value < 0) throw new ConfigProblem(key, "must be 0 (no limit) or more, was " + value);
        return value;
    }
}
