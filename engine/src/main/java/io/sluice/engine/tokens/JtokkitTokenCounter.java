package io.sluice.engine.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.Encoding;
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
 * Thread-safe.
 */
public final class JtokkitTokenCounter implements TokenCounter {
    public static final int TOKENS_PER_MESSAGE = 3;
    public static final int TOKENS_PER_NAME = 1;
    public static final int REPLY_PRIMING = 3;

    private final Map<Encoding, com.knuddels.jtokkit.api.Encoding> encodings = new EnumMap<>(Encoding.class);

    public JtokkitTokenCounter() {
        EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
        encodings.put(Encoding.CL100K_BASE, registry.getEncoding(EncodingType.CL100K_BASE));
        encodings.put(Encoding.O200K_BASE, registry.getEncoding(EncodingType.O200K_BASE));
    }

    @Override
    public int countText(String text, Encoding encoding) {
        return text == null || text.isEmpty() ? 0 : encodings.get(encoding).countTokensOrdinary(text);
    }

    @Override
    public int countMessage(ChatMessage message, Encoding encoding) {
        int tokens = TOKENS_PER_MESSAGE + countText(message.role().wireName(), encoding) + countText(message.content(), encoding);
        if (message.name() != null) tokens += TOKENS_PER_NAME + countText(message.name(), encoding);
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
