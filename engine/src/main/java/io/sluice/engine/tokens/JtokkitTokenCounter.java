package io.sluice.engine.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.Encoding;
import io.sluice.domain.Role;
import io.sluice.domain.ToolCall;
import io.sluice.ports.out.TokenCounter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Exact token counts with jtokkit, framed the way OpenAI bills chat prompts (OpenAI cookbook, "How to count tokens
 * with tiktoken"): every message costs {@value #TOKENS_PER_MESSAGE} tokens of framing plus its role and content,
 * a {@code name} adds {@value #TOKENS_PER_NAME}, and every prompt is primed with {@value #REPLY_PRIMING} more.
 * Tool calls are counted as their function name and arguments text: OpenAI does not document their framing, so
 * that part is an approximation. Special-token text in user content is counted as ordinary text, as the API does.
 *
 * <p>A run of more than {@value #MAX_RUN} characters without white space (a base64 blob, a hostile "word" of
 * megabytes) is counted {@value #MAX_RUN} characters at a time: BPE merges within one pre-token cost time quadratic
 * in its length (four 3.9 MB one-word prompts took 4.7 s of CPU each), and pieces cost linear time. Pieces cannot
 * merge across their cuts, so such a run counts a few tokens more than the upstream will bill: an estimate on the
 * safe side for fitting a window or reserving a budget. Every other text is counted exactly. Images, audio and files
 * are estimated ({@link MediaTokens}). Thread-safe.
 */
public final class JtokkitTokenCounter implements TokenCounter {
    public static final int TOKENS_PER_MESSAGE = 3;
    public static final int TOKENS_PER_NAME = 1;
    public static final int REPLY_PRIMING = 3;
    /** The longest run without white space counted in one piece. */
    public static final int MAX_RUN = 256;

    private final Map<Encoding, com.knuddels.jtokkit.api.Encoding> encodings = new EnumMap<>(Encoding.class);
    /** Each role's name counted once per encoding: every message counts it. */
    private final Map<Encoding, int[]> roleTokens = new EnumMap<>(Encoding.class);

    public JtokkitTokenCounter() {
        EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
        encodings.put(Encoding.CL100K_BASE, registry.getEncoding(EncodingType.CL100K_BASE));
        encodings.put(Encoding.O200K_BASE, registry.getEncoding(EncodingType.O200K_BASE));
        for (Encoding encoding : encodings.keySet()) {
            int[] tokens = new int[Role.values().length];
            for (Role role : Role.values()) tokens[role.ordinal()] = countText(role.wireName(), encoding);
            roleTokens.put(encoding, tokens);
        }
    }

    @Override
    public int countText(String text, Encoding encoding) {
        if (text == null || text.isEmpty()) return 0;
        com.knuddels.jtokkit.api.Encoding bpe = encodings.get(encoding);
        if (text.length() <= MAX_RUN) return bpe.countTokensOrdinary(text);
        int tokens = 0;
        int counted = 0; // the text before this index is counted
        int runStart = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i < text.length() && !Character.isWhitespace(text.charAt(i))) continue;
            if (i - runStart > MAX_RUN) { // a long run ends at i: what came before it in one piece, the run in pieces
                tokens += bpe.countTokensOrdinary(text.substring(counted, runStart)) + countInPieces(bpe, text, runStart, i);
                counted = i;
            }
            runStart = i + 1;
        }
        return tokens + bpe.countTokensOrdinary(text.substring(counted));
    }

    /** The run {@code text[from, to)} counted {@value #MAX_RUN} characters at a time, never splitting a surrogate pair. */
    private static int countInPieces(com.knuddels.jtokkit.api.Encoding bpe, String text, int from, int to) {
        int tokens = 0;
        while (from < to) {
            int end = Math.min(to, from + MAX_RUN);
            if (end < to && Character.isHighSurrogate(text.charAt(end - 1))) end++;
            tokens += bpe.countTokensOrdinary(text.substring(from, end));
            from = end;
        }
        return tokens;
    }

    @Override
    public int countMessage(ChatMessage message, Encoding encoding, io.sluice.domain.MediaRule media) {
        int tokens = TOKENS_PER_MESSAGE + roleTokens.get(encoding)[message.role().ordinal()] + countText(message.content(), encoding);
        if (message.name() != null) tokens += TOKENS_PER_NAME + countText(message.name(), encoding);
        for (io.sluice.domain.ContentPart part : message.parts()) tokens += MediaTokens.of(part, media); // its text is in content
        for (ToolCall call : message.toolCalls()) {
            tokens += countText(call.name(), encoding) + countText(call.argumentsJson(), encoding);
        }
        return tokens;
    }

    /** The prompt tokens OpenAI reports for these messages, before tools and response-format overhead. */
    public int countPrompt(List<ChatMessage> messages, Encoding encoding) {
        int tokens = REPLY_PRIMING;
        for (ChatMessage m : messages) tokens += countMessage(m, encoding);
        return tokens;
    }
}
