package io.sluice.engine;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.ConversationId;
import io.sluice.domain.Role;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.ToolCall;
import io.sluice.ports.in.Conversations;
import io.sluice.ports.out.ConversationStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * Which messages must leave a conversation together. Every provider refuses a history in which an assistant's tool
 * call has no result, or a tool result has no call, so deleting either side of a tool call deletes the whole exchange:
 * the assistant message that called and the tool messages that follow it with those call ids.
 */
final class ToolPairs {
    /** Tool results follow their call; a page is more results than any call has. */
    private static final int PAGE = Conversations.MAX_PAGE_SIZE;
    private final ConversationStore store;

    ToolPairs(ConversationStore store) {
        this.store = store;
    }

    /** The seqs of {@code messages} and of every message that must go with one of them. */
    CompletionStage<SortedSet<Long>> closure(ConversationId id, List<StoredMessage> messages) {
        CompletionStage<SortedSet<Long>> all = CompletableFuture.completedFuture(new TreeSet<>());
        for (StoredMessage m : messages) {
            all = all.thenCompose(seqs -> partners(id, m).thenApply(found -> {
                seqs.add(m.seq());
                seqs.addAll(found);
                return seqs;
            }));
        }
        return all;
    }

    private CompletionStage<List<Long>> partners(ConversationId id, StoredMessage m) {
        ChatMessage message = m.message();
        if (callsTools(message)) return results(id, m);
        if (message.role() != Role.TOOL) return CompletableFuture.completedFuture(List.of());
        return store.page(id, m.seq(), PAGE, false).thenCompose(before -> {
            for (StoredMessage earlier : before.items()) {
                if (earlier.message().role() == Role.TOOL) continue;
                if (!callIds(earlier.message()).contains(message.toolCallId())) break;
                return results(id, earlier).thenApply(results -> {
                    List<Long> exchange = new ArrayList<>(results);
                    exchange.add(earlier.seq());
                    return exchange;
                });
            }
            return CompletableFuture.completedFuture(List.of());
        });
    }

    /** The tool messages right after {@code call} that answer its calls. */
    private CompletionStage<List<Long>> results(ConversationId id, StoredMessage call) {
        Set<String> ids = callIds(call.message());
        return store.page(id, call.seq(), PAGE, true).thenApply(after -> {
            List<Long> seqs = new ArrayList<>();
            for (StoredMessage next : after.items()) {
                if (next.message().role() != Role.TOOL || !ids.contains(next.message().toolCallId())) break;
                seqs.add(next.seq());
            }
            return seqs;
        });
    }

    private static boolean callsTools(ChatMessage message) {
        return message.role() == Role.ASSISTANT && !message.toolCalls().isEmpty();
    }

    private static Set<String> callIds(ChatMessage message) {
        return callsTools(message) ? message.toolCalls().stream().map(ToolCall::id).collect(Collectors.toSet()) : Set.of();
    }
}
