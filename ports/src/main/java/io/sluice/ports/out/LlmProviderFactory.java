package io.sluice.ports.out;

/**
 * The provider plugin SPI. A factory has a string id, chosen in config by a provider's {@code type}, and is found
 * through {@link java.util.ServiceLoader} or registered explicitly. Thread-safe.
 */
public interface LlmProviderFactory {
    /** The type id this factory answers to, e.g. {@code openai}. */
    String id();

    LlmProvider create(ProviderSettings settings, ProviderEnvironment environment);
}
