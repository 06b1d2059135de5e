package io.sluice.engine.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationId;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.domain.error.StorageUnavailableException;
import io.sluice.ports.out.CallEvents;
import io.sluice.ports.out.ConversationStore;
import io.sluice.ports.out.NewMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Turns of different conversations that arrive while the writes in flight are busy share the next transaction; each
 * is acknowledged once its own is committed; a refused write is made again turn by turn, one whose database went away
 * is not (it may have been committed).
 */
class TurnWriterTest {
    /** Each appendAll held until the test completes it. */
    private final List<List<ConversationStore.Append>> writes = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<List<List<StoredMessage>>>> commits = new CopyOnWriteArrayList<>();
    private final List<Integer> committed = new CopyOnWriteArrayList<>();

    private final ConversationStore store = (ConversationStore) java.lang.reflect.Proxy.newProxyInstance(ConversationStore.class.getClassLoader(),
            new Class<?>[] {ConversationStore.class}, (proxy, method, args) -> {
                if (!method.getName().equals("appendAll")) throw new UnsupportedOperationException(method.getName());
                @SuppressWarnings("unchecked") List<ConversationStore.Append> turns = (List<ConversationStore.Append>) args[0];
                writes.add(turns);
                CompletableFuture<List<List<StoredMessage>>> commit = new CompletableFuture<>();
                commits.add(commit);
                return commit;
            });

    private final CallEvents events = new CallEvents() {
        public void ended(String outcome) {}

        public void billUnwritten() {}

        public void committed(String what, int items, long nanos) {
            if (what.equals("turns")) committed.add(items);
        }
    };

    /** Two writes in flight, so that a test can hold one write while another is made; the default is one. */
    private final TurnWriter writer = new TurnWriter(store, events, 2);

    private static Conversation conversation() {
        return Conversation.start(ConversationId.random(), "acme", "u1", Instant.EPOCH);
    }

    private CompletableFuture<List<StoredMessage>> turn() {
        return turn(writer);
    }

    private static CompletableFuture<List<StoredMessage>> turn(TurnWriter writer) {
        return writer.append(conversation(), List.of(new NewMessage(ChatMessage.user("hi"), 3, "m", Map.of())), List.of()).toCompletableFuture();
    }

    private static List<List<StoredMessage>> stored(List<ConversationStore.Append> turns) {
        List<List<StoredMessage>> out = new ArrayList<>();
        for (ConversationStore.Append t : turns) {
            out.add(List.of(new StoredMessage(t.conversation().id(), 1, t.messages().getFirst().message(), 3, "m", Instant.EPOCH, Map.of())));
        }
        return out;
    }

    private void commit(int write) {
        commits.get(write).complete(stored(writes.get(write)));
    }

    @Test
    void turnsArrivingWhileTwoWritesAreInFlightShareTheNextAndEachWaitsForItsOwnCommit() {
        List<CompletableFuture<List<StoredMessage>>> first = List.of(turn(), turn());
        List<CompletableFuture<List<StoredMessage>>> waiting = new ArrayList<>();
        for (int i = 0; i < 30; i++) waiting.add(turn());
        assertThat(writes).as("two writes in flight, one turn each").hasSize(2);

        commit(0);
        assertThat(first.get(0)).isCompleted();
        assertThat(waiting).noneMatch(CompletableFuture::isDone);
        assertThat(writes).hasSize(3);
        assertThat(writes.get(2)).as("the 30 that waited, in one transaction").hasSize(30);

        commit(2);
        assertThat(waiting).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(waiting.get(7).join().getFirst().conversationId()).as("each turn gets its own").isEqualTo(writes.get(2).get(7).conversation().id());
        assertThat(committed).containsExactly(1, 30);
    }

    @Test
    void byDefaultOneWriteIsInFlightAndEveryTurnThatArrivesMeanwhileSharesTheNext() {
        TurnWriter byDefault = new TurnWriter(store, events);
        List<CompletableFuture<List<StoredMessage>>> turns = new ArrayList<>();
        for (int i = 0; i < 10; i++) turns.add(turn(byDefault));
        assertThat(writes).as("one write in flight").hasSize(1);
        commit(0);
        assertThat(turns.getFirst()).isCompleted();
        assertThat(writes.get(1)).as("the nine that waited, together").hasSize(9);
        assertThat(turns.subList(1, 10)).noneMatch(CompletableFuture::isDone);
        commit(1);
        assertThat(turns).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(committed).containsExactly(1, 9);
    }

    @Test
    void aWriteTheDatabaseRefusedIsMadeAgainTurnByTurn() {
        turn();
        turn();
        CompletableFuture<List<StoredMessage>> good = turn();
        CompletableFuture<List<StoredMessage>> bad = turn();
        commit(0);
        assertThat(writes.get(2)).hasSize(2);
        commits.get(2).completeExceptionally(new InvalidRequestException("value too long", "name"));
        assertThat(writes).as("written again one by one").hasSize(4);
        commit(3);
        commits.get(4).completeExceptionally(new InvalidRequestException("value too long", "name"));
        assertThat(good).isCompleted();
        assertThat(bad).isCompletedExceptionally();
    }

    @Test
    void aWriteWhoseDatabaseWentAwayIsNotMadeAgainForItMayHaveBeenCommitted() {
        turn();
        turn();
        CompletableFuture<List<StoredMessage>> x = turn();
        CompletableFuture<List<StoredMessage>> y = turn();
        commit(0);
        assertThat(writes.get(2)).hasSize(2);
        commits.get(2).completeExceptionally(new java.util.concurrent.CompletionException(new StorageUnavailableException(null)));
        assertThat(writes).as("nothing written again").hasSize(3);
        assertThat(x).isCompletedExceptionally();
        assertThat(y).isCompletedExceptionally();
    }
}
