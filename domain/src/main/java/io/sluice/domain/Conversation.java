package io.sluice.domain;

import io.sluice.domain.ContextStrategy;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A stored conversation. {@code owner} is the tenant that may see it (the gateway API key's owner);
 * {@code user} is the end user the application named, and may be null; {@code contextStrategy} is the conversation's
 * own default, and may be null (the gateway's default applies). Immutable.
 */
public record Conversation(ConversationId id, String owner, String user, Instant created, Instant updated,
                           Map<String, String> metadata, boolean active, ContextStrategy contextStrategy) {
    public static final int MAX_METADATA_ENTRIES = 16;
    public static final int MAX_METADATA_KEY = 64;
    public static final int MAX_METADATA_VALUE = 512;

    public Conversation {
        Require.nonNull(id, "id");
        Require.nonBlank(owner, "owner");
        Require.nonNull(created, "created");
        Require.nonNull(updated, "updated");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        if (metadata.size() > MAX_METADATA_ENTRIES) {
            throw new IllegalArgumentException("'metadata' holds at most " + MAX_METADATA_ENTRIES + " entries");
        }
        metadata.forEach((k, v) -> {
            if (k.isEmpty() || k.length() > MAX_METADATA_KEY) throw new IllegalArgumentException("'metadata' keys are 1 to " + MAX_METADATA_KEY + " characters");
            if (v.length() > MAX_METADATA_VALUE) throw new IllegalArgumentException("'metadata' values are at most " + MAX_METADATA_VALUE + " characters");
        });
    }

    public static Conversation start(ConversationId id, String owner, String user, Instant now) {
        return new Conversation(id, owner, user, now, now, Map.of(), true, null);
    }

    public Optional<ContextStrategy> defaultStrategy() {
        return Optional.ofNullable(contextStrategy);
    }
}
