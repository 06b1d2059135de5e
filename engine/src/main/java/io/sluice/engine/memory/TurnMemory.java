package io.sluice.engine.memory;

import io.sluice.engine.models.ModelRegistry;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationId;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Role;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.context.BuiltContext;
import io.sluice.domain.context.ContextBuilder;
import io.sluice.domain.ContextStrategy;
import io.sluice.domain.context.CountedMessage;
import io.sluice.domain.context.Summary;
import io.sluice.domain.error.ConversationNotFoundException;
import io.sluice.domain.error.Failures;
import io.sluice.domain.error.SummaryNeededException;
import io.sluice.domain.usage.UsageEntry;
import io.sluice.engine.cache.CachedWindows;
import io.sluice.engine.memory.Turn;
import io.sluice.engine.semantic.SemanticRecall;
import io.sluice.ports.in.ChatCall;
import io.sluice.ports.in.ConversationRef;
import io.sluice.ports.out.CachedConversation;
import io.sluice.ports.out.ContextCache;
import io.sluice.ports.out.ConversationStore;
import io.sluice.ports.out.ConversationWindow;
import io.sluice.ports.out.NewMessage;
import io.sluice.ports.out.TokenCounter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A call's conversation memory: builds its turn (the window of the conversation, from the context cache or the store,
 * fitted to the model with the call's context strategy) and stores a stored conversation's turn with its bill, moving the
 * cache forward. Bills without a turn are not its business ({@link Settlement}).
 * Thread-safe and non-blocking; every I/O step is a port that completes asynchronously.
 */
public final class TurnMemory {
    private static final System.Logger LOG = System.getLogger(TurnMemory.class.getName());

    private final ConversationStore store;
    private final ContextCache cache;
    private final TokenCounter tokens;
    private final Clock clock;
    private final ContextDefaults contextDefaults;
    private final RollingSummaries summaries;
    private final SemanticRecall recall;
    private final TurnWriter writer;

    /** The memory of {@code store}'s conversations, with summaries written by {@code registry}'s models as {@code summaryPolicy} says. */
    public TurnMemory(ModelRegistry registry, ConversationStore store, ContextCache cache, TokenCounter tokens, Clock clock,
                      ContextDefaults contextDefaults, SummaryPolicy summaryPolicy, SemanticRecall recall, io.sluice.ports.out.UsageLedger ledger,
                      io.sluice.ports.out.CallEvents events) {
        this.store = store;
        this.cache = cache;
        this.tokens = tokens;
        this.clock = clock;
        this.contextDefaults = contextDefaults;
        this.summaries = new RollingSummaries(registry, store, cache, tokens, summaryPolicy, ledger, clock);
        this.recall = recall;
        this.writer = new TurnWriter(store, events);
    }

    /** Builds the call's turn for {@code target}, whose context window and encoding it is fitted to. */
    public CompletionStage<Turn> begin(ChatCall call, ModelRegistry.Target target, Optional<ContextStrategy> routeStrategy, int replyReserve) {
        return begin(call, new Planning(target, routeStrategy, replyReserve));
    }

    private CompletionStage<Turn> begin(ChatCall call, Planning route) {
        ChatRequest request = call.request();
        return switch (call.conversation()) {
            case ConversationRef.None none -> CompletableFuture.completedFuture(Turn.stateless(request));
            case ConversationRef.New created -> {
                Conversation conversation = Conversation.start(ConversationId.random(), call.caller().owner(), call.caller().user(),
                        clock.instant());
                ConversationWindow empty = new ConversationWindow(List.of(), List.of(), true, 0, null);
                yield CompletableFuture.completedFuture(fit(call, route, conversation, count(request.messages(), route), empty,
                        CachedWindows.fromWindow(conversation, empty, Integer.MAX_VALUE, 0)));
            }
            case ConversationRef.Existing existing -> {
                List<CountedMessage> fresh = count(request.messages(), route);
                yield cachedEntry(existing.id(), call.caller().owner()).thenCompose(hit -> {
                    if (hit.isPresent()) {
                        CachedConversation entry = hit.get();
                        WindowSize size = windowSize(strategyOf(call, entry.conversation(), route), route, request, fresh);
                        Optional<ConversationWindow> window = CachedWindows.select(entry, size.messages(), size.tokens());
                        if (window.isPresent()) return prepare(call, route, entry.conversation(), fresh, window.get(), entry);
                    }
                    return fromStore(call, route, existing.id(), fresh);
                }).exceptionallyCompose(error -> {
                    // the uncovered messages do not fit: summarize now, on this call's time, then build again from the store
                    if (!(Failures.cause(error) instanceof SummaryNeededException)) return CompletableFuture.failedFuture(error);
                    return summaries.refresh(existing.id(), call.caller().owner(), call.caller().user(), route.target(),
                                    summaries.policy().keepRecentTokens(), false)
                            .thenCompose(saved -> fromStore(call, route, existing.id(), fresh));
                });
            }
        };
    }

    /** The cached entry, if the caller may see it; a cache that fails is a miss, never a failed call. */
    private CompletionStage<Optional<CachedConversation>> cachedEntry(ConversationId id, String owner) {
        return cache.get(id)
                .thenApply(hit -> hit.filter(e -> e.conversation().active() && e.conversation().owner().equals(owner)))
                .exceptionally(error -> {
                    LOG.log(System.Logger.Level.WARNING, "context cache read failed, reading the store: " + io.sluice.domain.error.Failures.describe(error));
                    return Optional.empty();
                });
    }

    /** A cold turn: read exactly the window from the store, and keep it in the cache for the next turns. */
    private CompletionStage<Turn> fromStore(ChatCall call, Planning route, ConversationId id, List<CountedMessage> fresh) {
        return store.find(id, call.caller().owner()).thenCompose(found -> {
            Conversation conversation = found.orElseThrow(() -> new ConversationNotFoundException(id.value()));
            WindowSize size = windowSize(strategyOf(call, conversation, route), route, call.request(), fresh);
            return store.window(id, size.messages(), size.tokens()).thenCompose(window -> {
                CachedConversation entry = CachedWindows.fromWindow(conversation, window, size.messages(), size.tokens());
                return cache.fill(entry).exceptionally(this::cacheFailed)
                        .thenCompose(filled -> prepare(call, route, conversation, fresh, window, entry));
            });
        });
    }

    private Void cacheFailed(Throwable error) {
        LOG.log(System.Logger.Level.WARNING, "context cache write failed: " + io.sluice.domain.error.Failures.describe(error));
        return null;
    }

    /** The model a turn's context is built for, the default strategy of the route the call came by, and the tokens kept for the reply. */
    private record Planning(ModelRegistry.Target target, Optional<ContextStrategy> routeStrategy, int replyReserve) {
        ModelSpec spec() {
            return target.spec();
        }
    }

    /**
     * The call's own strategy, else the conversation's default, else its API key's, else its route's, else the
     * model's, else the gateway's.
     */
    private ContextStrategy strategyOf(ChatCall call, Conversation conversation, Planning route) {
        return call.contextStrategy().or(conversation::defaultStrategy).or(() -> call.caller().policy().strategy()).or(route::routeStrategy)
                .orElseGet(() -> contextDefaults.strategyFor(route.spec().name()));
    }

    /** Builds the turn; the semantic strategy first recalls the older messages relevant to the new ones. */
    private CompletionStage<Turn> prepare(ChatCall call, Planning route, Conversation conversation, List<CountedMessage> fresh,
                                          ConversationWindow window, CachedConversation snapshot) {
        if (!(strategyOf(call, conversation, route) instanceof ContextStrategy.Semantic semantic)) {
            return CompletableFuture.completedFuture(fit(call, route, conversation, fresh, window, snapshot));
        }
        long before = window.recent().isEmpty() ? window.lastSeq() + 1 : window.recent().getFirst().seq();
        String query = fresh.stream().map(CountedMessage::message).filter(m -> m.role() == Role.USER)
                .map(ChatMessage::content).collect(java.util.stream.Collectors.joining("\n"));
        return recall.recall(conversation.id(), before, query).thenApply(relevant -> {
            int contextWindow = route.spec().contextWindow();
            BuiltContext context = ContextBuilder.buildSemantic(semantic, ContextHistory.counted(window.systemPrompt()),
                    ContextHistory.counted(window.recent()), relevant, fresh, contextWindow, route.replyReserve());
            return new Turn(conversation, call.request(), fresh, context.messages(), snapshot, semantic, 0, context.promptTokens(),
                    new ContextSent(context.historyMessagesSent(), context.historyMessagesAvailable(), null));
        });
    }

    private Turn fit(ChatCall call, Planning route, Conversation conversation, List<CountedMessage> fresh,
                     ConversationWindow window, CachedConversation snapshot) {
        int contextWindow = route.spec().contextWindow();
        ContextStrategy strategy = strategyOf(call, conversation, route);
        ContextHistory history = ContextHistory.of(strategy, window);
        BuiltContext context = ContextBuilder.build(strategy, ContextHistory.counted(window.systemPrompt()), window.summary(), history.counted(),
                history.complete(), fresh, contextWindow, route.replyReserve());
        long uncovered = 0;
        for (StoredMessage m : history.messages()) uncovered += m.tokenCount();
        Summary summary = strategy instanceof ContextStrategy.RollingSummary ? window.summary() : null;
        return new Turn(conversation, call.request(), fresh, context.messages(), snapshot, strategy, uncovered, context.promptTokens(),
                new ContextSent(context.historyMessagesSent(), context.historyMessagesAvailable(), summary));
    }

    /** How much history to read: never more than could fit, so a long conversation costs no more to read than a short one. */
    private record WindowSize(int messages, long tokens) {}

    private WindowSize windowSize(ContextStrategy strategy, Planning route, ChatRequest request, List<CountedMessage> fresh) {
        int contextWindow = route.spec().contextWindow();
        long freshTokens = fresh.stream().mapToLong(CountedMessage::tokens).sum();
        long tokens = Math.max(0, contextWindow - route.replyReserve() - freshTokens - ContextBuilder.REPLY_PRIMING_TOKENS);
        int messages = switch (strategy) {
            case ContextStrategy.SlidingWindow w -> w.messages();
            case ContextStrategy.Semantic s -> s.recentMessages();
            default -> Integer.MAX_VALUE;
        };
        if (fresh.stream().anyMatch(m -> m.message().role() == Role.TOOL)) {
            // tool results must travel with the call they answer, which sits just before them: read a little past the budget
            messages = messages == Integer.MAX_VALUE ? messages : messages + TOOL_CALL_SLACK_MESSAGES;
            tokens += contextWindow;
        }
        return new WindowSize(messages, tokens);
    }

    /** Room for an assistant message with parallel tool calls and its results already stored. */
    private static final int TOOL_CALL_SLACK_MESSAGES = 16;

    private List<CountedMessage> count(List<ChatMessage> messages, Planning route) {
        List<CountedMessage> counted = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) counted.add(new CountedMessage(m, tokens.countMessage(m, route.spec().encoding(), route.target().provider().mediaRule())));
        return counted;
    }

    /** Stores a stored conversation's turn with its ledger entry in one transaction, shared with other conversations' turns ({@link TurnWriter}). */
    public CompletionStage<?> record(Turn turn, ModelRegistry.Target route, ChatMessage reply, Map<String, String> replyMetadata, UsageEntry entry) {
        String model = route.spec().name();
        List<NewMessage> messages = new ArrayList<>(turn.fresh().size() + 1);
        for (CountedMessage m : turn.fresh()) messages.add(new NewMessage(m.message(), m.tokens(), model, Map.of()));
        messages.add(new NewMessage(reply, tokens.countMessage(reply, route.spec().encoding(), route.provider().mediaRule()), model, replyMetadata));
        return writer.append(turn.conversation(), messages, List.of(entry)).thenCompose(stored -> advanceCache(turn.snapshot(), stored)
                .thenApply(advanced -> {
                    if (turn.strategy() instanceof ContextStrategy.RollingSummary) {
                        long added = messages.stream().mapToLong(NewMessage::tokenCount).sum();
                        summaries.afterTurn(turn.conversation(), turn.uncoveredTokens() + added, route);
                    }
                    return advanced;
                }));
    }

    /**
     * Moves the cached entry forward by this turn, before the turn is acknowledged, so that the next turn sees it.
     * Only an entry this turn provably extends (its stored seqs follow the snapshot's) is moved; otherwise another
     * writer got in between, and the cache is told the newer version exists, which makes the next read miss.
     */
    private CompletionStage<?> advanceCache(CachedConversation snapshot, List<StoredMessage> stored) {
        CachedConversation next = CachedWindows.extend(snapshot, stored, contextDefaults.cachedTokens());
        boolean contiguous = stored.getFirst().seq() == snapshot.lastSeq() + 1;
        CompletionStage<Void> update = !contiguous ? cache.advance(-1, next)
                : snapshot.lastSeq() == 0 ? cache.fill(next) : cache.advance(snapshot.lastSeq(), next);
        return update.exceptionally(error -> {
            cacheFailed(error);
            cache.invalidate(snapshot.conversation().id()).exceptionally(this::cacheFailed);
            return null;
        });
    }
}
