package io.sluice.app.e2e;

import static io.sluice.app.e2e.CachingGateway.JSON;
import static io.sluice.app.e2e.CachingGateway.cache;
import static io.sluice.app.e2e.CachingGateway.content;
import static io.sluice.app.e2e.CachingGateway.question;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testkit.workload.SupportWorkload;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recorded support workload replayed through the gateway over HTTP on PostgreSQL ({@link SupportWorkload}: 2,000
 * questions from 100 FAQ in 5 phrasings each, two owners, and 100 conversations of an opening and three FAQ turns).
 * With the exact cache, every repeat is a hit and nothing else; with the semantic cache, paraphrases are hits too, no
 * call is ever answered with another owner's answer, under 1% of hits answer another FAQ, and no turn of a
 * conversation is ever a hit; nor is any conversation's opening, which names its own customer and ticket. The figures printed here are in docs/costs.md.
 */
class CacheReplayTest {
    private static final List<String> OWNERS = List.of("tenant-a", "tenant-b");
    private static final List<SupportWorkload.Question> QUESTIONS = SupportWorkload.questions(2_000, OWNERS, 19);
    private static final List<SupportWorkload.Conversation> CONVERSATIONS = SupportWorkload.conversations(100, 3, OWNERS, 20);

    @TempDir
    Path dir;

    /** What a replay showed. */
    record Replay(int calls, int questionHits, int conversationHits, int crossOwner, int wrongFaq, BigDecimal spent, BigDecimal saved) {
        double hitRate() {
            return (double) questionHits / QUESTIONS.size();
        }

        String describe(String name) {
            return "%s: %d calls, %d of %d questions hit (%.1f%%), %d conversation turns hit, %d answers from another owner, %d from another FAQ, spent $%s, saved $%s"
                    .formatted(name, calls, questionHits, QUESTIONS.size(), 100 * hitRate(), conversationHits, crossOwner, wrongFaq,
                            spent.stripTrailingZeros().toPlainString(), saved.stripTrailingZeros().toPlainString());
        }
    }

    private Replay replay(String cacheSettings) throws Exception {
        try (CachingGateway sluice = new CachingGateway(dir, cacheSettings)) {
            Map<String, String> keys = new HashMap<>();
            for (String owner : OWNERS) keys.put(owner, sluice.key(owner));
            // per owner, the FAQ each answer text was fetched for: a hit must be one of its owner's, for the FAQ asked
            Map<String, Map<String, Set<Integer>>> fetched = new HashMap<>();
            int calls = 0;
            int hits = 0;
            int conversationHits = 0;
            int crossOwner = 0;
            int wrongFaq = 0;
            int openingHits = 0;
            for (int i = 0; i < QUESTIONS.size(); i++) {
                SupportWorkload.Question q = QUESTIONS.get(i);
                HttpResponse<String> answer = sluice.chat(keys.get(q.owner()), question(q.text()));
                calls++;
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                String text = content(answer);
                Map<String, Set<Integer>> own = fetched.computeIfAbsent(q.owner(), o -> new HashMap<>());
                if (cache(answer).equals("hit")) {
                    hits++;
                    if (!own.containsKey(text)) crossOwner++;
                    else if (!own.get(text).contains(q.faq())) wrongFaq++;
                } else {
                    own.computeIfAbsent(text, t -> new HashSet<>()).add(q.faq());
                }
                if (i % 20 == 19) {
                    SupportWorkload.Conversation c = CONVERSATIONS.get(i / 20);
                    HttpResponse<String> opening = sluice.chat(keys.get(c.owner()), question(c.opening()), "X-Conversation-Id", "new");
                    String id = opening.headers().firstValue("X-Conversation-Id").orElseThrow();
                    calls++;
                    // an opening names its own customer and ticket: a hit on one is always another customer's answer
                    if (cache(opening).equals("hit")) openingHits++;
                    for (SupportWorkload.Question turn : c.turns()) {
                        HttpResponse<String> next = sluice.chat(keys.get(c.owner()), question(turn.text()), "X-Conversation-Id", id);
                        calls++;
                        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
                        if (cache(next).equals("hit")) conversationHits++;
                    }
                }
            }
            int billed = calls;
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                    JSON.readTree(sluice.send("GET", "/admin/usage", null, CachingGateway.ADMIN).body()).path("total").path("requests").asLong() >= billed);
            JsonNode total = JSON.readTree(sluice.send("GET", "/admin/usage", null, CachingGateway.ADMIN).body()).path("total");
            assertThat(total.path("requests").asLong()).as("every call billed once").isEqualTo(calls);
            assertThat(total.path("cache_hits").asLong()).isEqualTo(hits + openingHits + conversationHits);
            BigDecimal saved = new BigDecimal(total.path("saved_usd").asText());
            BigDecimal ledgerSaved = (BigDecimal) Sql.rows(sluice.storage(), "SELECT COALESCE(SUM(cache_saved), 0) AS s FROM usage_ledger").getFirst().get("s");
            assertThat(saved).isEqualByComparingTo(ledgerSaved);
            return new Replay(calls, hits, conversationHits, crossOwner, wrongFaq + openingHits, new BigDecimal(total.path("cost_usd").asText()), saved);
        }
    }

    /** Questions an owner asked before in the very same words. */
    private static int repeats() {
        Set<String> asked = new HashSet<>();
        int repeats = 0;
        for (SupportWorkload.Question q : QUESTIONS) if (!asked.add(q.owner() + "\u0000" + q.text())) repeats++;
        return repeats;
    }

    @Test
    void theExactCacheAnswersEveryRepeatAndNothingElse() throws Exception {
        Replay exact = replay("");
        System.out.println(exact.describe("exact"));
        assertThat(exact.questionHits()).as("hits are exactly the repeats").isEqualTo(repeats());
        assertThat(exact.crossOwner()).isZero();
        assertThat(exact.wrongFaq()).isZero();
        assertThat(exact.conversationHits()).isZero();
        assertThat(exact.saved()).isPositive();
    }

    @Test
    void theSemanticCacheAnswersParaphrasesButNeverAnotherOwnerOrAConversationsLaterTurn() throws Exception {
        Replay strict = replay("    semantic: {enabled: true, threshold: 0.9}");
        Replay semantic = replay("    semantic: {enabled: true, threshold: 0.85}");
        Replay loose = replay("    semantic: {enabled: true, threshold: 0.75}");
        System.out.println(strict.describe("semantic 0.9"));
        System.out.println(semantic.describe("semantic 0.85"));
        System.out.println(loose.describe("semantic 0.75"));
        assertThat(semantic.questionHits()).as("paraphrases hit too").isGreaterThan(repeats());
        assertThat(semantic.questionHits()).isGreaterThan(strict.questionHits());
        for (Replay r : List.of(strict, semantic, loose)) {
            assertThat(r.crossOwner()).as("never another owner's answer").isZero();
            assertThat(r.conversationHits()).as("never a conversation's later turn").isZero();
        }
        assertThat(semantic.wrongFaq()).as("false hits within an owner: under 1%% of hits").isLessThan(semantic.questionHits() / 100 + 1);
        assertThat(strict.wrongFaq()).isLessThanOrEqualTo(semantic.wrongFaq());
        assertThat(loose.wrongFaq()).as("a threshold too low answers the wrong FAQ: why the similarity of every hit is recorded").isPositive();
    }
}
