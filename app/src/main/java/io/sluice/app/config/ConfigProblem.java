package io.sluice.app.config;

/** A configuration that cannot start the gateway. The message names the key and what is wrong with it. */
public final class ConfigProblem extends RuntimeException {
    public ConfigProblem(String key, String problem) {
        super(key + ": " + problem);
    }

    public ConfigProblem(String message, Throwable cause) {
        super(message, cause);
    }
}
