package io.sluice.domain;

import java.util.Locale;
import java.util.Optional;

/** The author of a chat message, named as OpenAI's wire format names it. */
public enum Role {
    SYSTEM, USER, ASSISTANT, TOOL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role for a wire name; OpenAI's {@code developer} role is the newer name of {@code system}. */
    public static Optional<Role> fromWire(String name) {
        if (name == null) return Optional.empty();
        return switch (name) {
            case "system", "developer" -> Optional.of(SYSTEM);
            case "user" -> Optional.of(USER);
            case "assistant" -> Optional.of(ASSISTANT);
            case "tool" -> Optional.of(TOOL);
            default -> Optional.empty();
        };
    }
}
