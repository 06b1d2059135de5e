package io.sluice.engine.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sluice.ports.out.CachedAnswer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The semantic cache's index, in this process's memory: per bucket (the scope, model, system prompt and options, as
 * {@link ResponseKey#bucket} derives it), the vectors of earlier questions and their answers. A lookup finds the most
 * similar earlier question (cosine) in the call's own bucket, and answers with it only at or above the threshold.
 * Bounded: at most {@code maxPerBucket} questions per bucket (the oldest go first) and {@code maxEntries} in all.
 * Thread-safe.
 */
public final class SemanticAnswers {
    /** A hit: the answer, and how similar its question was to the one asked (for operators tuning the threshold). */
    public record Match(CachedAnswer answer, double similarity) {}

    private record Entry(float[] vector, double norm, CachedAnswer answer) {}

    private final Cache<String, List<Entry>> buckets;
    private final int maxPerBucket;
    private final Clock clock;

    public SemanticAnswers(long maxEntries, int maxPerBucket, Clock clock) {
        this.maxPerBucket = maxPerBucket;
        this.clock = clock;
        this.buckets = Caffeine.newBuilder().maximumWeight(maxEntries).weigher((String k, List<Entry> entries) -> Math.max(1, entries.size())).build();
    }

    /** The answer to the most similar question in {@code bucket}, if it is at least {@code threshold} similar and not expired. */
    public Optional<Match> find(String bucket, float[] question, double threshold) {
        List<Entry> entries = buckets.getIfPresent(bucket);
        if (entries == null) return Optional.empty();
        double norm = norm(question);
        if (norm == 0) return Optional.empty();
        Instant now = clock.instant();
        int[] used = used(question);
        Entry best = null;
        double bestScore = -2;
        for (Entry e : entries) {
            if (e.vector.length != question.length || !e.answer.expires().isAfter(now)) continue;
            double score = dot(question, used, e.vector) / (norm * e.norm);
            if (score > bestScore) {
                bestScore = score;
                best = e;
            }
        }
        return best != null && bestScore >= threshold ? Optional.of(new Match(best.answer, Math.min(1, bestScore))) : Optional.empty();
    }

    /** Keeps {@code answer} to the question of {@code vector} in {@code bucket}. */
    public void put(String bucket, float[] vector, CachedAnswer answer) {
        double norm = norm(vector);
        if (norm == 0) return;
        Instant now = clock.instant();
        buckets.asMap().compute(bucket, (k, current) -> {
            List<Entry> next = new ArrayList<>(current == null ? 1 : current.size() + 1);
            if (current != null) for (Entry e : current) if (e.answer.expires().isAfter(now)) next.add(e);
            next.add(new Entry(vector, norm, answer));
            return List.copyOf(next.size() > maxPerBucket ? next.subList(next.size() - maxPerBucket, next.size()) : next);
        });
    }

    /** Only the dimensions the question uses: lexical vectors have a handful in thousands. */
    private static double dot(float[] a, int[] used, float[] b) {
        double sum = 0;
        for (int i : used) sum += a[i] * b[i];
        return sum;
    }

    private static int[] used(float[] v) {
        int n = 0;
        for (float x : v) if (x != 0) n++;
        int[] used = new int[n];
        for (int i = 0, j = 0; i < v.length; i++) if (v[i] != 0) used[j++] = i;
        return used;
    }

    private static double norm(float[] v) {
        double sum = 0;
        for (float x : v) sum += x * x;
        return Math.sqrt(sum);
    }
}
