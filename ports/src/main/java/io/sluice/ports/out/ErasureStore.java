package io.sluice.ports.out;

import io.sluice.domain.ConversationId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Erasing what the stores keep of a conversation or an end user: every message, summary and vector goes, with the
 * budget counters named after them; the ledger keeps its amounts, with its user and conversation references blanked.
 * Each call is one short transaction, so that erasing much is done in batches that never hold locks for long.
 */
public interface ErasureStore {
    /** Purges one conversation of {@code owner}; false when it has none by that id. */
    CompletionStage<Boolean> purgeConversation(ConversationId id, String owner);

    /** Purges up to {@code limit} of an end user's conversations; returns their ids (fewer than the limit: none are left). */
    CompletionStage<List<ConversationId>> purgeUserConversations(String owner, String user, int limit);

    /** Blanks an end user in the ledger and drops their budget counters; returns how many ledger entries were changed. */
    CompletionStage<Long> forgetUser(String owner, String user);

    /**
     * Purges up to {@code limit} conversations untouched since {@code cutoff}: of {@code owner} when given, else of
     * every owner but {@code excludedOwners}; returns their ids, oldest first.
     */
    CompletionStage<List<ConversationId>> purgeIdleSince(Instant cutoff, Optional<String> owner, Set<String> excludedOwners, int limit);
}
