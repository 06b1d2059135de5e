package io.sluice.ports.in;

import java.util.concurrent.CompletionStage;

/**
 * The gateway's chat use case. Implementations are thread-safe. Failures complete the stage exceptionally with a
 * {@link io.sluice.domain.error.SluiceException}.
 */
public interface ChatCompletions {
    CompletionStage<ChatResult> complete(ChatCall call);

    CompletionStage<ChatStream> stream(ChatCall call);

    /**
     * The tokens the call's messages (and tools) make as a prompt, counted in the encoding of the model that would serve
     * it; nothing is sent and nothing stored. Anthropic's {@code count_tokens}.
     */
    default CompletionStage<Integer> countPromptTokens(ChatCall call) {
        return java.util.concurrent.CompletableFuture.failedFuture(
                new io.sluice.domain.error.UnsupportedFeatureException("Counting tokens is not supported by this gateway"));
    }
}
