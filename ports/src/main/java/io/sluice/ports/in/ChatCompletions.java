package io.sluice.ports.in;

import java.util.concurrent.CompletionStage;

/**
 * The gateway's chat use case. Implementations are thread-safe. Failures complete the stage exceptionally with a
 * {@link io.sluice.domain.error.SluiceException}.
 */
public interface ChatCompletions {
    CompletionStage<ChatResult> complete(ChatCall call);

    CompletionStage<ChatStream> stream(ChatCall call);
}
