package io.sluice.bench;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.ConversationId;
import io.sluice.domain.Conversation;
import io.sluice.domain.context.BuiltContext;
import io.sluice.domain.context.ContextBuilder;
import io.sluice.domain.ContextStrategy;
import io.sluice.domain.context.CountedMessage;
import io.sluice.engine.memory.ContextHistory;
import io.sluice.engine.cache.CachedWindows;
import io.sluice.jdbc.JdbcStorage;
import io.sluice.ports.out.CachedConversation;
import io.sluice.ports.out.ConversationStore;
import io.sluice.ports.out.ConversationWindow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The time to build one call's context from a stored conversation of {@code messages} messages, as the engine does
 * it: cold (the window read from PostgreSQL through its index, then fitted) and warm (the window cut from the
 * context cache's entry, then fitted). The model window is 128k tokens with 1k reserved for the reply.
 * Run: {@code bench/jmh ContextBuild}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ContextBuildBenchmark {
    static final int WINDOW = 128_000;
    static final int RESERVE = 1_024;

    @Param({"10", "1000", "100000", "1000000"})
    public long messages;

    @Param({"token_budget", "sliding_window(20)", "rolling_summary"})
    public String strategyName;

    private JdbcStorage storage;
    private ConversationStore store;
    private ConversationId id;
    private ContextStrategy strategy;
    private CachedConversation entry;
    private final List<CountedMessage> fresh = List.of(new CountedMessage(ChatMessage.user("Where is my parcel now?"), 12));

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        storage = BenchHistories.open();
        store = BenchHistories.store(storage);
        id = BenchHistories.conversation(messages);
        strategy = ContextStrategy.parse(strategyName);
        Conversation conversation = new Conversation(id, "bench", null, Instant.now(), Instant.now(), Map.of(), true, null);
        // what a cold turn leaves in the cache: the window it read
        entry = CachedWindows.fromWindow(conversation, store.window(id, maxMessages(), maxTokens()).toCompletableFuture().join(),
                maxMessages(), maxTokens());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        storage.close();
    }

    @Benchmark
    public BuiltContext cold() {
        return build(store.window(id, maxMessages(), maxTokens()).toCompletableFuture().join());
    }

    @Benchmark
    public BuiltContext warm() {
        return build(CachedWindows.select(entry, maxMessages(), maxTokens()).orElseThrow());
    }

    private int maxMessages() {
        return strategy instanceof ContextStrategy.SlidingWindow w ? w.messages() : Integer.MAX_VALUE;
    }

    private long maxTokens() {
        return WINDOW - RESERVE - 12 - ContextBuilder.REPLY_PRIMING_TOKENS;
    }

    /** What ChatService does with a window. */
    private BuiltContext build(ConversationWindow window) {
        ContextHistory history = ContextHistory.of(strategy, window);
        return ContextBuilder.build(strategy, ContextHistory.counted(window.systemPrompt()), window.summary(), history.counted(),
                history.complete(), fresh, WINDOW, RESERVE);
    }
}
