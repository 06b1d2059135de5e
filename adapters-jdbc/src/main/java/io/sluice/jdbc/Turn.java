package io.sluice.jdbc;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.ConversationId;
import io.sluice.domain.Role;
import io.sluice.domain.StoredMessage;
import io.sluice.ports.out.NewMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The messages of one append as the rows they become, numbered within the turn: a store adds the conversation's
 * counters (its last seq, its running token total) once it holds the conversation's row lock, whether it reads them
 * first (the portable path) or lets the database add them (PostgreSQL, {@link PostgresTurn}).
 *
 * @param tokens        the tokens of all the turn's messages
 * @param leadingSystem how many of the turn's first messages are system messages
 */
record Turn(List<NewMessage> messages, List<Row> rows, long tokens, int leadingSystem) {
    /**
     * One message's columns; its seq is the conversation's last seq plus {@code n}, its tokens_before the conversation's
     * total plus {@code tokensBeforeInTurn}.
     */
    record Row(int n, String role, String content, String name, String toolCalls, String toolCallId, int tokens,
               long tokensBeforeInTurn, String model, String metadata, String contentParts) {}

    /** {@code json} writes tool calls and metadata as the JSON text the columns hold. */
    static Turn of(List<NewMessage> messages, Function<Object, String> json) {
        List<Row> rows = new ArrayList<>(messages.size());
        long tokens = 0;
        int leadingSystem = 0;
        for (NewMessage m : messages) {
            ChatMessage msg = m.message();
            if (msg.role() == Role.SYSTEM && leadingSystem == rows.size()) leadingSystem++;
            List<Map<String, String>> calls = msg.toolCalls().stream()
                    .map(c -> Map.of("id", c.id(), "name", c.name(), "arguments", c.argumentsJson())).toList();
            rows.add(new Row(rows.size() + 1, msg.role().wireName(), msg.content(), msg.name(), calls.isEmpty() ? null : json.apply(calls),
                    msg.toolCallId(), m.tokenCount(), tokens, m.model(), json.apply(m.metadata()),
                    msg.hasMedia() ? json.apply(ContentPartsColumn.rows(msg.parts())) : null));
            tokens += m.tokenCount();
        }
        return new Turn(List.copyOf(messages), List.copyOf(rows), tokens, leadingSystem);
    }

    /**
     * The conversation's system prompt end after this turn: the leading run of system messages is its system prompt,
     * so the turn's leading system messages extend it only while nothing else has followed it yet.
     */
    long systemSeqEnd(long lastSeqBefore, long systemSeqEndBefore) {
        return systemSeqEndBefore == lastSeqBefore ? systemSeqEndBefore + leadingSystem : systemSeqEndBefore;
    }

    /** The turn's messages as stored, after the conversation's last seq was {@code seqBefore}. */
    List<StoredMessage> stored(ConversationId id, long seqBefore, Instant at) {
        List<StoredMessage> stored = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            NewMessage m = messages.get(i);
            stored.add(new StoredMessage(id, seqBefore + i + 1, m.message(), m.tokenCount(), m.model(), at, m.metadata()));
        }
        return stored;
    }
}
