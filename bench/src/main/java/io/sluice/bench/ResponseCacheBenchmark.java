package io.sluice.bench;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatOptions;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.Usage;
import io.sluice.engine.cache.LocalResponseCache;
import io.sluice.engine.cache.ResponseKey;
import io.sluice.engine.cache.SemanticAnswers;
import io.sluice.engine.semantic.LexicalEmbedder;
import io.sluice.ports.out.CachedAnswer;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the response cache adds to a call: its key (a SHA-256 digest of the upstream request, for a first question and
 * for a stored conversation's 40-message context) and a lookup in this process's memory that misses or hits, with
 * 10,000 answers kept; and a semantic lookup in a bucket of 1,000 earlier questions. Run: {@code bench/jmh ResponseCache}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ResponseCacheBenchmark {
    /** Messages in the context the key is made of: a first question (2) or a stored conversation's window (40). */
    @Param({"2", "40"})
    int context;

    private final Clock clock = Clock.systemUTC();
    private final LocalResponseCache cache = new LocalResponseCache(LocalResponseCache.DEFAULT_MAX_BYTES, clock);
    private final SemanticAnswers semantic = new SemanticAnswers(100_000, 1_000, clock);
    private final LexicalEmbedder embedder = new LexicalEmbedder(io.sluice.domain.context.LexicalVectors.DEFAULT_DIMENSIONS);
    private ChatRequest missed;
    private ChatRequest kept;
    private float[] question;
    private int n;

    @Setup
    public void setUp() {
        CachedAnswer answer = new CachedAnswer("gpt-4o-mini", ChatMessage.assistant("Your order ships tomorrow; you will get a tracking link by email."),
                "stop", new Usage(120, 20, 0), new BigDecimal("0.000030000"), Instant.now().plusSeconds(3600));
        for (int i = 0; i < 10_000; i++) cache.put(ResponseKey.exact("owner:acme", "support-bot", request("Where is my order " + i + "?")), answer);
        kept = request("Where is my order 77?");
        missed = request("Where is my parcel 77?");
        for (int i = 0; i < 1_000; i++) {
            semantic.put("bucket", embedder.embed(List.of("How do I change my delivery address number " + i + "?")).toCompletableFuture().join().getFirst(), answer);
        }
        question = embedder.embed(List.of("Hi! How can I change my delivery address, please?")).toCompletableFuture().join().getFirst();
    }

    private ChatRequest request(String last) {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(ChatMessage.system("You are the support assistant of an online shop. Answer briefly and politely."));
        for (int i = 0; i < context - 2; i++) {
            messages.add(i % 2 == 0 ? ChatMessage.user("Earlier question " + i + " about my account and my last three invoices.")
                    : ChatMessage.assistant("Earlier answer " + i + ": your invoices are in the billing section of your account."));
        }
        messages.add(ChatMessage.user(last));
        return new ChatRequest("gpt-4o-mini", messages, ChatOptions.builder().temperature(0.0).build());
    }

    @Benchmark
    public Optional<CachedAnswer> lookupThatMisses() {
        return cache.get(ResponseKey.exact("owner:acme", "support-bot", missed)).toCompletableFuture().join();
    }

    @Benchmark
    public Optional<CachedAnswer> lookupThatHits() {
        return cache.get(ResponseKey.exact("owner:acme", "support-bot", kept)).toCompletableFuture().join();
    }

    @Benchmark
    public Optional<SemanticAnswers.Match> semanticLookupIn1000Questions() {
        return semantic.find("bucket", question, 0.9);
    }
}
