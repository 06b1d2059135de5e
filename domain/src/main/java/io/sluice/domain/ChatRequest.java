package io.sluice.domain;

import java.util.List;

/** What is sent to one upstream model: the model's name as the gateway knows it, the whole context, the options. */
public record ChatRequest(String model, List<ChatMessage> messages, ChatOptions options) {
    public ChatRequest {
        Require.nonBlank(model, "model");
        messages = List.copyOf(Require.nonEmpty(messages, "messages"));
        options = options == null ? ChatOptions.NONE : options;
    }

}
