package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.app.config.ConfigProblem;
import io.sluice.http.anthropic.AnthropicProviderFactory;
import io.sluice.http.gemini.GeminiProviderFactory;
import io.sluice.http.openai.OpenAiProviderFactory;
import io.sluice.ports.out.LlmProvider;
import io.sluice.ports.out.LlmProviderFactory;
import io.sluice.ports.out.ProviderEnvironment;
import io.sluice.ports.out.ProviderSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plugins registered through Guice and found by ServiceLoader, chosen by the configured type. */
class ProviderFactoriesTest {
    /** A second class claiming the built-in "openai" id. */
    static final class Impostor implements LlmProviderFactory {
        public String id() {
            return "openai";
        }

        public LlmProvider create(ProviderSettings settings, ProviderEnvironment environment) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void theBuiltInTypesAreFoundByServiceLoaderAndOneClassRegisteredTwiceIsNotAmbiguous() {
        ProviderFactories factories = new ProviderFactories(List.of(new OpenAiProviderFactory()));
        assertThat(factories.get("openai", "p")).isInstanceOf(OpenAiProviderFactory.class);
        assertThat(factories.get("anthropic", "p")).isInstanceOf(AnthropicProviderFactory.class);
        assertThat(factories.get("gemini", "p")).isInstanceOf(GeminiProviderFactory.class);
    }

    @Test
    void anUnknownTypeFailsAtStartNamingTheKeyAndTheCandidates() {
        assertThatThrownBy(() -> new ProviderFactories(List.of()).get("antropic", "claude"))
                .isInstanceOf(ConfigProblem.class)
                .hasMessageContaining("sluice.providers.claude.type")
                .hasMessageContaining("antropic")
                .hasMessageContaining("[anthropic, gemini, openai]");
    }

    @Test
    void twoClassesClaimingOneTypeFailAtStartNamingBoth() {
        assertThatThrownBy(() -> new ProviderFactories(List.of(new Impostor())))
                .isInstanceOf(ConfigProblem.class)
                .hasMessageContaining("'openai' is ambiguous")
                .hasMessageContaining(Impostor.class.getName())
                .hasMessageContaining(OpenAiProviderFactory.class.getName());
    }
}
