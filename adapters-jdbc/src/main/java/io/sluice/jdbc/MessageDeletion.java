package io.sluice.jdbc;

import io.sluice.domain.ConversationId;
import io.sluice.ports.out.ConversationStore.Deletion;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Messages leaving the middle of a conversation ({@link JdbcConversationStore#deleteMessages}), on a handle whose
 * transaction holds the conversation's row lock: everything the window reads from them is rewritten with them.
 */
final class MessageDeletion {
    private MessageDeletion() {}

    static Deletion delete(Handle h, ConversationId id, Collection<Long> seqs, JdbcConversationStore.Totals before) {
        Map<Long, Integer> tokens = new java.util.TreeMap<>();
        h.createQuery("SELECT seq, token_count FROM messages WHERE conversation_id = :id AND seq IN (<seqs>)")
                .bind("id", id.value()).bindList("seqs", new ArrayList<>(seqs))
                .map((rs, ctx) -> tokens.put(rs.getLong(1), rs.getInt(2))).list();
        if (tokens.isEmpty()) return new Deletion(List.of(), before.lastSeq());
        // message_vectors rows go by their foreign key's ON DELETE CASCADE
        h.createUpdate("DELETE FROM messages WHERE conversation_id = :id AND seq IN (<seqs>)")
                .bind("id", id.value()).bindList("seqs", new ArrayList<>(tokens.keySet())).execute();
        long removed = 0;
        for (Map.Entry<Long, Integer> gone : tokens.entrySet()) {
            removed += gone.getValue();
            h.createUpdate("UPDATE messages SET tokens_before = tokens_before - :tokens WHERE conversation_id = :id AND seq > :seq")
                    .bind("tokens", gone.getValue()).bind("id", id.value()).bind("seq", gone.getKey()).execute();
        }
        long firstHistory = tokens.keySet().stream().filter(seq -> seq > before.systemSeqEnd()).findFirst().orElse(Long.MAX_VALUE);
        // the window reads the leading system messages as the prompt, and calls itself complete when its first
        // message follows them: both need the prompt to end right before the first message that remains. The last
        // seq moves on, so that a window read or cached before this delete is older than any written after it.
        h.createUpdate("""
                        UPDATE conversations SET total_tokens = total_tokens - :removed, updated_at = :now, last_seq = last_seq + 1,
                               system_seq_end = COALESCE((SELECT MIN(m.seq) - 1 FROM messages m
                                                          WHERE m.conversation_id = :id AND m.role <> 'system'), last_seq + 1)
                        WHERE id = :id""")
                .bind("removed", removed).bind("now", Timestamp.from(Instant.now())).bind("id", id.value()).execute();
        if (before.summary() != null) {
            // a summary that retold a deleted message goes (it is rebuilt from what remains); one that did not
            // stays, and covers the deleted messages right after it, so the history after it still starts where it ends
            boolean retold = firstHistory <= before.summary().throughSeq();
            h.createUpdate(retold
                            ? "UPDATE conversations SET summary = NULL, summary_tokens = 0, summary_through_seq = 0 WHERE id = :id"
                            : """
                              UPDATE conversations SET summary_through_seq = COALESCE((SELECT MIN(m.seq) - 1 FROM messages m
                                     WHERE m.conversation_id = :id AND m.seq > :through), last_seq)
                              WHERE id = :id""")
                    .bind("id", id.value()).bind("through", before.summary().throughSeq()).execute();
        }
        return new Deletion(List.copyOf(tokens.keySet()), before.lastSeq() + 1);
    }
}
