package io.sluice.engine.memory;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationId;
import io.sluice.domain.ContextStrategy;
import io.sluice.domain.context.CountedMessage;
import io.sluice.ports.out.CachedConversation;
import java.util.List;
import java.util.Optional;

/**
 * One call in progress: the conversation it belongs to (null when stateless), the caller's request, its new messages
 * with their token counts (empty when stateless: nothing is stored), the messages to send upstream, and the context
 * cache entry the window came from (the version the turn extends; null when stateless), the strategy that built the
 * context, the tokens of the history messages no summary covers (for rolling summaries), and the context's prompt
 * tokens as the context builder counted them ({@link #UNCOUNTED} for a stateless turn, which is not built), and how much
 * of the stored history it holds. Immutable.
 */
public record Turn(Conversation conversation, ChatRequest request, List<CountedMessage> fresh, List<ChatMessage> context,
                   CachedConversation snapshot, ContextStrategy strategy, long uncoveredTokens, int promptTokens, ContextSent sent) {
    public static final int UNCOUNTED = -1;

    public Turn {
        fresh = List.copyOf(fresh);
        context = List.copyOf(context);
    }

    public static Turn stateless(ChatRequest request) {
        return new Turn(null, request, List.of(), request.messages(), null, null, 0, UNCOUNTED, ContextSent.NONE);
    }

    /**
     * What was sent upstream on this stored turn, as the stored answer's metadata keeps it, so that the conversation
     * can be read back turn by turn: the strategy, the prompt's tokens, how many stored messages made it in, the summary.
     */
    public void describeContext(java.util.Map<String, String> metadata) {
        if (!isStored()) return;
        metadata.put(io.sluice.domain.StoredMessage.CONTEXT_STRATEGY, strategy.toString());
        metadata.put(io.sluice.domain.StoredMessage.CONTEXT_TOKENS, Integer.toString(promptTokens));
        metadata.put(io.sluice.domain.StoredMessage.CONTEXT_MESSAGES, sent.historySent() + "/" + sent.historyAvailable());
        if (sent.summary() != null) {
            metadata.put(io.sluice.domain.StoredMessage.SUMMARY_THROUGH_SEQ, Long.toString(sent.summary().throughSeq()));
            metadata.put(io.sluice.domain.StoredMessage.SUMMARY_TOKENS, Integer.toString(sent.summary().tokens()));
        }
    }

    public boolean isStored() {
        return conversation != null;
    }

    public Optional<ConversationId> conversationId() {
        return isStored() ? Optional.of(conversation.id()) : Optional.empty();
    }

    /** The request to send upstream: the built context, under the upstream's model name. */
    public ChatRequest upstreamRequest(String upstreamModel) {
        return new ChatRequest(upstreamModel, context, request.options());
    }

    /** This turn with its request's {@code max_tokens} set. */
    public Turn withMaxTokens(int maxTokens) {
        ChatRequest capped = new ChatRequest(request.model(), request.messages(), request.options().withMaxTokens(maxTokens));
        return new Turn(conversation, capped, fresh, context, snapshot, strategy, uncoveredTokens, promptTokens, sent);
    }
}
