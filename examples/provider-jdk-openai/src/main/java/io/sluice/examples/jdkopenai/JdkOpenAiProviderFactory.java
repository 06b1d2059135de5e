package io.sluice.examples.jdkopenai;

import io.sluice.ports.out.LlmProvider;
import io.sluice.ports.out.LlmProviderFactory;
import io.sluice.ports.out.ProviderEnvironment;
import io.sluice.ports.out.ProviderSettings;

/** Provider type {@value #ID}; found by {@link java.util.ServiceLoader} through META-INF/services. */
public final class JdkOpenAiProviderFactory implements LlmProviderFactory {
    public static final String ID = "jdk-openai";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public LlmProvider create(ProviderSettings settings, ProviderEnvironment environment) {
        return new JdkOpenAiProvider(settings);
    }
}
