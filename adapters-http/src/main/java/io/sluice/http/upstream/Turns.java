package io.sluice.http.upstream;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * A conversation as APIs with a separate system prompt and alternating roles want it (Anthropic, Gemini): the system
 * messages joined, and the rest grouped into turns of one side each; tool results are on the user's side.
 */
public record Turns(String system, List<Turn> turns) {
    /** Consecutive messages of one side. */
    public record Turn(boolean assistant, List<ChatMessage> messages) {}

    public static Turns of(List<ChatMessage> messages) {
        StringBuilder system = new StringBuilder();
        List<Turn> turns = new ArrayList<>();
        List<ChatMessage> current = null;
        boolean assistant = false;
        for (ChatMessage m : messages) {
            if (m.role() == Role.SYSTEM) {
                if (!system.isEmpty()) system.append("\n\n");
                system.append(m.content());
                continue;
            }
            boolean side = m.role() == Role.ASSISTANT;
            if (current == null || side != assistant) {
                current = new ArrayList<>();
                assistant = side;
                turns.add(new Turn(side, current));
            }
            current.add(m);
        }
        return new Turns(system.toString(), turns.stream().map(t -> new Turn(t.assistant(), List.copyOf(t.messages()))).toList());
    }
}
