package io.sluice.domain;

import java.time.Instant;
import java.util.Map;

/**
 * A stored conversation. {@code owner} is the tenant that may see it (the gateway API key's owner);
 * {@code user} is the end user the application named, and may be null. Immutable.
 */
public record Conversation(ConversationId id, String owner, String user, Instant created, Instant updated,
                           Map<String, String> metadata, boolean active) {
    public Conversation {
        Require.nonNull(id, "id");
        Require.nonBlank(owner, "owner");
        Require.nonNull(created, "created");
        Require.nonNull(updated, "updated");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public static Conversation start(ConversationId id, String owner, String user, Instant now) {
        return new Conversation(id, owner, user, now, now, Map.of(), true);
    }
}
