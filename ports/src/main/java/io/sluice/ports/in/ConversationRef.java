package io.sluice.ports.in;

import io.sluice.domain.ConversationId;

/** Which stored conversation a call belongs to: none (stateless), a new one, or an existing one. */
public sealed interface ConversationRef {
    record None() implements ConversationRef {}

    record New() implements ConversationRef {}

    record Existing(ConversationId id) implements ConversationRef {}

    ConversationRef NONE = new None();
    ConversationRef NEW = new New();

    static ConversationRef existing(ConversationId id) {
        return new Existing(id);
    }

}
