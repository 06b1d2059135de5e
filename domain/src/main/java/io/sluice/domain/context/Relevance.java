package io.sluice.domain.context;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Ranks stored messages by relevance to a query vector: cosine similarity, and for lexical vectors each dimension is
 * first weighted by its inverse document frequency over the candidates, so words every message shares count for
 * little and a rare word that the query shares counts for much. Pure and thread-safe.
 */
public final class Relevance {
    private Relevance() {}

    /** The candidates' keys with a positive score, best first (ties: newer first). */
    public static List<Long> rank(float[] query, Map<Long, float[]> candidates, boolean weightByRarity) {
        double[] idf = weightByRarity ? idf(candidates, query.length) : null;
        double queryNorm = norm(query, idf);
        List<Map.Entry<Long, Double>> scored = new ArrayList<>();
        if (queryNorm == 0) return List.of();
        for (Map.Entry<Long, float[]> c : candidates.entrySet()) {
            float[] v = c.getValue();
            if (v.length != query.length) continue;
            double dot = 0;
            for (int i = 0; i < v.length; i++) {
                if (query[i] == 0 || v[i] == 0) continue;
                double w = idf == null ? 1 : idf[i] * idf[i];
                dot += query[i] * v[i] * w;
            }
            double n = norm(v, idf);
            if (dot > 0 && n > 0) scored.add(Map.entry(c.getKey(), dot / (queryNorm * n)));
        }
        scored.sort(Comparator.<Map.Entry<Long, Double>>comparingDouble(Map.Entry::getValue).reversed()
                .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()));
        return scored.stream().map(Map.Entry::getKey).toList();
    }

    private static double[] idf(Map<Long, float[]> candidates, int dimensions) {
        int[] df = new int[dimensions];
        for (float[] v : candidates.values()) {
            if (v.length != dimensions) continue;
            for (int i = 0; i < dimensions; i++) if (v[i] != 0) df[i]++;
        }
        double[] idf = new double[dimensions];
        int n = candidates.size();
        for (int i = 0; i < dimensions; i++) idf[i] = Math.log(1 + (double) (n + 1) / (df[i] + 1));
        return idf;
    }

    private static double norm(float[] v, double[] idf) {
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            double x = idf == null ? v[i] : v[i] * idf[i];
            sum += x * x;
        }
        return Math.sqrt(sum);
    }
}
