package io.sluice.ports.in;

import io.sluice.domain.ChatRequest;
import io.sluice.domain.Require;

/**
 * One chat call as the gateway receives it. {@code request.messages()} are the caller's new messages only;
 * for a stored conversation the engine puts the history in front of them.
 */
public record ChatCall(Caller caller, ConversationRef conversation, ChatRequest request) {
    public ChatCall {
        Require.nonNull(caller, "caller");
        Require.nonNull(conversation, "conversation");
        Require.nonNull(request, "request");
    }
}
