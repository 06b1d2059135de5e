package io.sluice.engine;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ContentPart;
import io.sluice.domain.Role;
import io.sluice.domain.Usage;
import io.sluice.engine.cache.ResponseCachePolicy;
import io.sluice.engine.cache.ResponseKey;
import io.sluice.engine.cache.SemanticAnswers;
import io.sluice.domain.error.Failures;
import io.sluice.engine.sla.ResilientCaller;
import io.sluice.ports.in.CacheDirective;
import io.sluice.ports.in.CacheStatus;
import io.sluice.ports.in.ServedBy;
import io.sluice.ports.out.CachedAnswer;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The response cache's stage of a call, between its context and its admission: decides whether the call may be
 * cached, looks it up (exact, then by meaning when the semantic cache is on), and makes identical calls in flight at
 * the same time go upstream once (the first leads; the others wait for its answer, or its failure). After the upstream
 * answers, {@link #answered} keeps the answer and hands it to the calls waiting on it. Thread-safe.
 */
final class ResponseCaching {
    private static final System.Logger LOG = System.getLogger(ResponseCaching.class.getName());
    /** How long the semantic cache waits for an embedding model before it skips the lookup. */
    static final long EMBED_TIMEOUT_MILLIS = 2_000;
    /** Where a hit says it was served from (the ledger's endpoint). */
    static final String ENDPOINT = "cache";

    /**
     * What the stage found: its status, the exact key (null when the call may not be kept), the semantic bucket and
     * the question's vector (null unless the call is a semantic candidate), the answer of a hit and its similarity,
     * and the flight this call leads (null unless it leads one).
     */
    record Lookup(CacheStatus status, String key, String bucket, float[] question, CachedAnswer answer, double similarity,
                  CompletableFuture<Landing> flight) {
        static final Lookup BYPASS = new Lookup(CacheStatus.BYPASS, null, null, null, null, 0, null);

        boolean hit() {
            return status == CacheStatus.HIT;
        }

        ServedBy servedBy() {
            return new ServedBy(answer.model(), ENDPOINT, 0);
        }

        io.sluice.domain.usage.UsageEntry.CacheHit cacheHit() {
            return new io.sluice.domain.usage.UsageEntry.CacheHit(answer.cost(), similarity);
        }

        Lookup hit(CachedAnswer found, double similarity) {
            return new Lookup(CacheStatus.HIT, key, bucket, question, found, similarity, null);
        }

        Lookup leading(CompletableFuture<Landing> value) {
            return new Lookup(status, key, bucket, question, null, 0, value);
        }
    }

    /**
     * How a flight ended for the calls that waited on it: with the answer it kept, or without one; then they either go
     * upstream each on its own (the answer may not be kept: identical calls would have got one each), or form a new
     * flight ({@code rejoin}: the leader's client left before its answer).
     */
    record Landing(CachedAnswer answer, boolean rejoin) {}

    private final ResponseCachePolicy policy;
    private final Clock clock;
    private final ConcurrentHashMap<String, CompletableFuture<Landing>> flights = new ConcurrentHashMap<>();

    ResponseCaching(ResponseCachePolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    CompletionStage<Lookup> lookup(Call call) {
        if (!policy.enabled() || !call.request.cache().mayStore() || keyTtl(call).filter(java.time.Duration::isZero).isPresent()) {
            return CompletableFuture.completedFuture(Lookup.BYPASS);
        }
        ResilientCaller.Candidate first = call.candidates().getFirst();
        ChatRequest request = first.request();
        if (!cacheable(request)) return CompletableFuture.completedFuture(Lookup.BYPASS);
        String scope = policy.scope(call.request.caller().owner());
        String key = ResponseKey.exact(scope, first.model(), request);
        if (!call.request.cache().mayRead()) return CompletableFuture.completedFuture(new Lookup(CacheStatus.BYPASS, key, null, null, null, 0, null));
        return policy.store().get(key).thenCompose(found -> {
            Lookup miss = new Lookup(CacheStatus.MISS, key, null, null, null, 0, null);
            if (found.isPresent()) return CompletableFuture.completedFuture(miss.hit(found.get(), 1));
            return semantic(scope, first.model(), request, miss).thenCompose(looked -> looked.hit() ? CompletableFuture.completedFuture(looked) : join(call, looked));
        });
    }

    /** A call the semantic cache may answer: a system prompt (or none) and one question, nothing earlier in its context. */
    private CompletionStage<Lookup> semantic(String scope, String model, ChatRequest request, Lookup miss) {
        var threshold = policy.semanticThreshold();
        String question = question(request.messages());
        if (threshold.isEmpty() || question == null) return CompletableFuture.completedFuture(miss);
        String bucket = ResponseKey.bucket(scope, model, request, identifiers(question));
        CompletionStage<List<float[]>> embedded;
        try {
            embedded = policy.embedder().embed(List.of(question)).toCompletableFuture().orTimeout(EMBED_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            embedded = CompletableFuture.failedFuture(e);
        }
        return embedded.handle((vectors, error) -> {
            if (error == null && (vectors == null || vectors.isEmpty())) error = new IllegalStateException("no vector");
            if (error != null) {
                LOG.log(System.Logger.Level.DEBUG, "semantic cache skipped: the embedder failed (" + io.sluice.domain.error.Failures.cause(error).getClass().getSimpleName() + ")");
                return miss;
            }
            float[] vector = vectors.getFirst();
            Lookup candidate = new Lookup(CacheStatus.MISS, miss.key(), bucket, vector, null, 0, null);
            Optional<SemanticAnswers.Match> match = policy.semantic().find(bucket, vector, threshold.getAsDouble());
            return match.map(m -> candidate.hit(m.answer(), m.similarity())).orElse(candidate);
        });
    }

    /**
     * Joins the flight of an identical call already on its way upstream, or leads one. When the leader ends without an
     * answer for its own reasons (its client left), the calls that waited on it form a new flight; one whose deadline
     * passes while it waits times out, and takes the dead flight with it.
     */
    private CompletionStage<Lookup> join(Call call, Lookup miss) {
        if (!policy.coalesce()) return CompletableFuture.completedFuture(miss);
        CompletableFuture<Landing> mine = new CompletableFuture<>();
        CompletableFuture<Landing> leader = flights.putIfAbsent(miss.key(), mine);
        if (leader == null) return CompletableFuture.completedFuture(miss.leading(mine));
        call.followed();
        long left = call.deadlineNanos - System.nanoTime();
        // a leader that never ends (its client never reads its stream) must not hold the others past their deadline:
        // they time out, as they would have upstream, and the next identical call leads a flight of its own
        return leader.copy().orTimeout(Math.max(0, left), TimeUnit.NANOSECONDS).handle((answer, error) -> {
            if (error == null) {
                if (answer.answer() != null) return CompletableFuture.completedFuture(miss.hit(answer.answer(), 1));
                return answer.rejoin() ? join(call, miss) : CompletableFuture.completedFuture(miss);
            }
            if (Failures.cause(error) instanceof java.util.concurrent.TimeoutException) {
                flights.remove(miss.key(), leader);
                return CompletableFuture.<Lookup>failedFuture(new io.sluice.domain.error.UpstreamTimeoutException(
                        "An identical call in flight did not answer within this call's deadline", null));
            }
            return CompletableFuture.<Lookup>failedFuture(Failures.cause(error));
        }).thenCompose(java.util.function.Function.identity());
    }

    /**
     * The upstream answered a call that missed: its answer is kept, when it may be, and then handed to the calls that
     * wait on this one.
     */
    void answered(Call call, Lookup lookup, ServedBy by, ChatMessage message, String finishReason, Usage usage, BigDecimal cost) {
        if (lookup.key() == null || lookup.hit()) return;
        CachedAnswer kept = null;
        try {
            String model = call.candidates().getFirst().model();
            java.time.Duration ttl = keyTtl(call).orElseGet(() -> policy.ttl(call.route(), model));
            CachedAnswer answer = new CachedAnswer(by.model(), message, finishReason, usage, cost, clock.instant().plus(ttl));
            // a reply cut at a cap the gateway set (a budgeted call's reserve), not the caller, is not the answer to the
            // call; nor is one a fallback model gave while the first was failing, kept past the first's recovery
            boolean cutByGateway = "length".equals(finishReason) && call.request.request().options().maxTokens() == null;
            if (keepable(answer) && !cutByGateway && by.fallbacks() == 0) {
                policy.store().put(lookup.key(), answer);
                if (lookup.bucket() != null) policy.semantic().put(lookup.bucket(), lookup.question(), answer);
                kept = answer;
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "an answer was not cached (" + e.getClass().getSimpleName() + "): request " + call.requestId);
        } finally {
            // the calls waiting on this one get what a later identical call would get: the answer if it was kept,
            // else they go upstream, each on its own
            land(lookup, new Landing(kept, false), null);
        }
    }

    /**
     * The call ended without a whole answer: the calls that wait on it get its upstream failure, or, when it ended for
     * its own client's reasons (a cancel, a cut stream), go upstream themselves.
     */
    void abandoned(Lookup lookup, Throwable upstreamFailure) {
        if (lookup != null) land(lookup, new Landing(null, true), upstreamFailure);
    }

    private void land(Lookup lookup, Landing landing, Throwable failure) {
        CompletableFuture<Landing> flight = lookup.flight();
        if (flight == null) return;
        flights.remove(lookup.key(), flight);
        if (failure != null) flight.completeExceptionally(failure);
        else flight.complete(landing);
    }

    /** The caller's key's own TTL for the cache, if it sets one (zero: its calls are never cached). */
    private static Optional<java.time.Duration> keyTtl(Call call) {
        return call.request.caller().key().flatMap(k -> k.policy().responseCacheTtl());
    }

    /** An answer that may be replayed: it says something, was not filtered, and calls no tool unless that is allowed. */
    private boolean keepable(CachedAnswer answer) {
        ChatMessage m = answer.message();
        if ("content_filter".equals(answer.finishReason())) return false;
        if (!m.toolCalls().isEmpty()) return policy.toolCalls();
        return m.content() != null && !m.content().isEmpty() || !m.parts().isEmpty();
    }

    /** Deterministic enough to keep: one choice, a temperature within the policy's, no log probabilities (a hit has none). */
    private boolean cacheable(ChatRequest request) {
        var options = request.options();
        if (options.choices() != 1) return false;
        double temperature = options.temperature() == null ? ResponseCachePolicy.DEFAULT_TEMPERATURE : options.temperature();
        if (temperature > policy.maxTemperature()) return false;
        return !options.extraJson().containsKey("top_logprobs") && !"true".equals(options.extraJson().get("logprobs"));
    }

    /**
     * The numbers and codes a question names ("order 1234", "ticket A-77"), sorted: two questions that name different
     * ones are never the same question however alike their words, so they are kept in different buckets.
     */
    static String identifiers(String question) {
        java.util.TreeSet<String> ids = new java.util.TreeSet<>();
        for (String word : question.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}_-]+")) {
            if (word.chars().anyMatch(Character::isDigit)) ids.add(word);
        }
        return String.join(" ", ids);
    }

    /** The question of a context made of system messages and one user message of text; null for any other context. */
    static String question(List<ChatMessage> context) {
        ChatMessage last = context.getLast();
        if (last.role() != Role.USER) return null;
        for (ChatMessage m : context.subList(0, context.size() - 1)) if (m.role() != Role.SYSTEM) return null;
        StringBuilder text = new StringBuilder(last.content() == null ? "" : last.content());
        for (ContentPart part : last.parts()) {
            if (!(part instanceof ContentPart.Text t)) return null;
            text.append(text.isEmpty() ? "" : "\n").append(t.text());
        }
        return text.isEmpty() ? null : text.toString();
    }
}
