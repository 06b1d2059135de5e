package io.sluice.domain.context;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A lexical "embedding" in pure Java: words are lower-cased, stripped of diacritics (so {@code hoàn tiền} and
 * {@code hoan tien} match), filtered of the commonest English and Vietnamese function words, hashed into a fixed number
 * of dimensions, weighted by sublinear term frequency (1 + ln tf) and L2-normalised. Ranked with {@link Relevance},
 * which adds inverse document frequency over the conversation, it scores like TF-IDF. Thread-safe.
 */
public final class LexicalVectors {
    public static final int DEFAULT_DIMENSIONS = 2048;
    private static final Pattern WORDS = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Set<String> STOPWORDS = Set.of("the", "a", "an", "and", "or", "of", "to", "in", "on", "is", "are", "was",
            "were", "be", "it", "this", "that", "for", "with", "as", "at", "by", "i", "you", "we", "my", "your", "me", "do", "does",
            "what", "which", "can", "please", "la", "va", "cua", "toi", "ban", "co", "khong", "duoc", "cho", "voi", "nay", "mot");

    private LexicalVectors() {}

    public static float[] embed(String text, int dimensions) {
        float[] v = new float[dimensions];
        if (text == null) return v;
        String folded = MARKS.matcher(Normalizer.normalize(text.toLowerCase(Locale.ROOT), Normalizer.Form.NFD)).replaceAll("")
                .replace('đ', 'd');
        for (String word : WORDS.split(folded)) {
            if (word.isEmpty() || STOPWORDS.contains(word)) continue;
            v[Math.floorMod(word.hashCode(), dimensions)] += 1;
        }
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            if (v[i] > 0) v[i] = (float) (1 + Math.log(v[i]));
            norm += v[i] * v[i];
        }
        if (norm > 0) {
            float scale = (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < v.length; i++) v[i] *= scale;
        }
        return v;
    }
}
