package io.sluice.engine.memory;

import io.sluice.domain.Conversation;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.error.Failures;
import io.sluice.domain.error.StorageUnavailableException;
import io.sluice.domain.usage.UsageEntry;
import io.sluice.engine.ledger.GroupCommit;
import io.sluice.ports.out.CallEvents;
import io.sluice.ports.out.ConversationStore;
import io.sluice.ports.out.NewMessage;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Stored turns written by group commit ({@link GroupCommit}): the turns of different conversations that arrive while the
 * writes in flight are busy go together in the next write, one transaction ({@link ConversationStore#appendAll}), each
 * turn acknowledged once that transaction is committed. A write the database refused rolled back whole, so its turns
 * are written again one by one and only a bad one fails; a write whose database went away may have been committed, so
 * its turns fail rather than be written twice. Thread-safe.
 */
final class TurnWriter {
    /**
     * One, as for bills. Eight were chosen when a group was one statement a turn in one transaction, and kept turns'
     * concurrency; since a group is one statement whatever its size, fewer writes mean larger groups and less database
     * work a turn, and more turns a second at full load, with the same tail at 300 turns/s (docs/performance.md, steps 7
     * and 9).
     */
    static final int WRITES_IN_FLIGHT = 1;

    private final GroupCommit<ConversationStore.Append, List<StoredMessage>> commits;

    TurnWriter(ConversationStore store, CallEvents events) {
        this(store, events, WRITES_IN_FLIGHT);
    }

    TurnWriter(ConversationStore store, CallEvents events, int writesInFlight) {
        this.commits = new GroupCommit<>(store::appendAll, TurnWriter::nothingWritten, writesInFlight,
                (turns, nanos) -> events.committed("turns", turns, nanos));
    }

    CompletionStage<List<StoredMessage>> append(Conversation conversation, List<NewMessage> messages, List<UsageEntry> usage) {
        return commits.submit(new ConversationStore.Append(conversation, messages, usage));
    }

    /** Whether a failed write surely wrote nothing: the database refused a statement, rather than went away mid-commit. */
    static boolean nothingWritten(Throwable error) {
        return !(Failures.cause(error) instanceof StorageUnavailableException);
    }
}
