package io.sluice.testkit.simulator;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's deterministic answers and its own token counts. The same messages always get the same reply;
 * the reply has two words per word of the last message (at least {@value #MIN_WORDS}, at most {@value #MAX_WORDS}),
 * cut to {@code max_tokens}. Tokens are counted like OpenAI does (tiktoken, 3 tokens of framing per message,
 * 3 to prime the reply) so that the gateway's counts can be checked against an independent count. Thread-safe.
 */
public final class Replies {
    public static final int MIN_WORDS = 3;
    public static final int MAX_WORDS = 400;
    private static final String[] VOCABULARY = ("the a to of and in is it you that for on with as this be are at or"
            + " from by we can will your not have all one more about order ticket help support account refund delivery"
            + " today please thanks check status update team answer question issue time day new good right now here"
            + " there what when how why which who service plan price").split(" ");
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    private Replies() {}

    /** The model's OpenAI encoding ({@link io.sluice.domain.Encoding#forOpenAiModel}), o200k_base for any other model. */
    public static Encoding encodingFor(String model) {
        boolean cl100k = model != null && io.sluice.domain.Encoding.forOpenAiModel(model).orElse(null) == io.sluice.domain.Encoding.CL100K_BASE;
        return REGISTRY.getEncoding(cl100k ? EncodingType.CL100K_BASE : EncodingType.O200K_BASE);
    }

    /**
     * The reply text for a conversation whose messages have these contents, the last one being the newest. A whole
     * reply ends with a period; one cut short by {@code maxTokens} does not (see {@link #isTruncated}).
     */
    public static String text(List<String> contents, Integer maxTokens, Encoding encoding) {
        String last = contents.isEmpty() ? "" : contents.getLast();
        int words = Math.clamp(2L * countWords(last), MIN_WORDS, MAX_WORDS);
        long state = String.join("\u0000", contents).hashCode();
        StringBuilder reply = new StringBuilder();
        for (int i = 0; i < words; i++) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            String word = VOCABULARY[(int) Math.floorMod(state >>> 33, VOCABULARY.length)];
            String next = i == 0 ? capitalize(word) : " " + word;
            if (maxTokens != null && encoding.countTokensOrdinary(reply + next) > maxTokens) return reply.toString();
            reply.append(next);
        }
        if (maxTokens != null && encoding.countTokensOrdinary(reply + ".") > maxTokens) return reply.toString();
        return reply.append('.').toString();
    }

    /** True when the reply was cut by {@code max_tokens}: OpenAI then says {@code finish_reason: length}. */
    public static boolean isTruncated(String text) {
        return !text.endsWith(".");
    }

    /** Splits a reply into the pieces a stream sends: one word per chunk, each with its leading space. */
    public static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int i = 1; i < text.length(); i++) {
            if (text.charAt(i) == ' ') {
                pieces.add(text.substring(start, i));
                start = i;
            }
        }
        if (start < text.length()) pieces.add(text.substring(start));
        return pieces;
    }

    /** Prompt tokens as OpenAI reports them: per message 3 + role + content (+ 1 + name), plus 3. */
    public static int promptTokens(List<String[]> roleContentName, Encoding encoding) {
        int tokens = 3;
        for (String[] m : roleContentName) {
            tokens += 3 + count(m[0], encoding) + count(m[1], encoding);
            if (m.length > 2 && m[2] != null) tokens += 1 + count(m[2], encoding);
        }
        return tokens;
    }

    public static int count(String text, Encoding encoding) {
        return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }

    private static int countWords(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }

    private static String capitalize(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
