package io.sluice.domain.routing;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.Role;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Judges how demanding a call is from its newest user message: a complex keyword or a long message makes it
 * {@link Complexity#COMPLEX}; a short message, or a simple keyword in one under twice that length, makes it
 * {@link Complexity#SIMPLE}; the rest is
 * {@link Complexity#MODERATE}. Keywords match whole words, case-insensitively, with Vietnamese diacritics compared
 * in one Unicode form. Immutable and thread-safe.
 *
 * <p>{@code shortChars}: a message shorter than this is simple (unless a complex keyword is in it); {@code longChars}:
 * a message at least this long is complex.
 */
public final class ComplexityClassifier {
    /** Support-desk defaults, in English and Vietnamese. */
    public static final List<String> DEFAULT_COMPLEX_KEYWORDS = List.of("analyze", "analyse", "compare", "explain why",
            "step by step", "troubleshoot", "debug", "refund", "contract", "legal", "invoice dispute",
            "phân tích", "so sánh", "giải thích", "tại sao", "từng bước", "khắc phục", "hoàn tiền", "hợp đồng", "khiếu nại");
    /** Greetings, thanks and acknowledgements; not "no" or "không", which end many real questions. */
    public static final List<String> DEFAULT_SIMPLE_KEYWORDS = List.of("hi", "hello", "thanks", "thank you", "ok", "okay", "bye",
            "xin chào", "chào bạn", "cảm ơn", "cám ơn", "vâng", "tạm biệt");
    public static final ComplexityClassifier DEFAULTS = new ComplexityClassifier(80, 1500, DEFAULT_COMPLEX_KEYWORDS, DEFAULT_SIMPLE_KEYWORDS);

    private final int shortChars;
    private final int longChars;
    private final Pattern complex;
    private final Pattern simple;

    public ComplexityClassifier(int shortChars, int longChars, List<String> complexKeywords, List<String> simpleKeywords) {
        if (shortChars < 0 || longChars <= shortChars) {
            throw new IllegalArgumentException("need 0 <= short-message-chars < long-message-chars, were " + shortChars + " and " + longChars);
        }
        this.shortChars = shortChars;
        this.longChars = longChars;
        this.complex = compile(complexKeywords);
        this.simple = compile(simpleKeywords);
    }

    public Complexity classify(List<ChatMessage> messages) {
        String text = lastUserText(messages);
        if (text.length() >= longChars || matches(complex, text)) return Complexity.COMPLEX;
        // a greeting at the head of a real question does not make it simple: simple keywords count in short-ish texts only
        if (text.length() < shortChars || text.length() < 2 * shortChars && matches(simple, text)) return Complexity.SIMPLE;
        return Complexity.MODERATE;
    }

    private static String lastUserText(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            ChatMessage m = messages.get(i);
            if (m.role() == Role.USER && m.content() != null) return normalize(m.content());
        }
        return "";
    }

    private static boolean matches(Pattern pattern, String text) {
        return pattern != null && pattern.matcher(text).find();
    }

    private static String normalize(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }

    /** One pattern for a keyword list: any keyword as a whole word; null for an empty list. */
    private static Pattern compile(List<String> keywords) {
        StringBuilder alternatives = new StringBuilder();
        for (String k : keywords) {
            if (k == null || k.isBlank()) continue;
            if (!alternatives.isEmpty()) alternatives.append('|');
            alternatives.append(Pattern.quote(normalize(k.strip())));
        }
        if (alternatives.isEmpty()) return null;
        return Pattern.compile("(?<![\\p{L}\\p{N}])(?:" + alternatives + ")(?![\\p{L}\\p{N}])", Pattern.UNICODE_CASE | Pattern.CASE_INSENSITIVE);
    }
}
