package io.sluice.ports.in;

import io.sluice.domain.ConversationId;
import java.util.concurrent.CompletionStage;

/**
 * Erasing personal data on request: a conversation (its caller's own), or every trace of an end user of an owner.
 * What is erased is gone from the database and the context cache; the ledger keeps its amounts, unattributed.
 */
public interface Erasure {
    /** What erasing an end user removed: their conversations, and the ledger entries that no longer name them. */
    record UserErased(String owner, String user, long conversations, long ledgerEntries) {}

    /** Purges one of the caller's conversations; fails with a not-found when the caller has none by that id. */
    CompletionStage<Void> purgeConversation(Caller caller, ConversationId id);

    CompletionStage<UserErased> eraseUser(String owner, String user);
}
