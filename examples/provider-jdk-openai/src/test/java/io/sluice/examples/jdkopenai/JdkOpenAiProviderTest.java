package io.sluice.examples.jdkopenai;

import io.sluice.ports.out.LlmProvider;
import io.sluice.ports.out.ProviderEnvironment;
import io.sluice.ports.out.ProviderSettings;
import io.sluice.testkit.contract.LlmProviderContract;
import io.sluice.testkit.simulator.Simulator;
import java.time.Duration;
import java.util.Map;

/** The example plugin passes the provider contract, with streaming and tools switched off. */
class JdkOpenAiProviderTest extends LlmProviderContract {
    @Override
    protected LlmProvider create(Simulator simulator, Duration timeout) {
        return new JdkOpenAiProviderFactory().create(new ProviderSettings("jdk", JdkOpenAiProviderFactory.ID, simulator.baseUrl(), "sk-test",
                timeout, 10, Map.of()), ProviderEnvironment.EMPTY);
    }

    @Override
    protected boolean supportsStreaming() {
        return false;
    }

    @Override
    protected boolean supportsTools() {
        return false;
    }
}
