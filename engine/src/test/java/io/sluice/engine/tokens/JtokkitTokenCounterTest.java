package io.sluice.engine.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.Encoding;
import io.sluice.domain.Role;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JtokkitTokenCounterTest {
    private final JtokkitTokenCounter counter = new JtokkitTokenCounter();

    /**
     * The example conversation of the OpenAI cookbook, "How to count tokens with tiktoken" (section 6, "Counting
     * tokens for chat completions API calls"), whose {@code prompt_tokens} as reported by the OpenAI API are printed
     * there: 129 for gpt-3.5-turbo, gpt-4-0613 and gpt-4 (cl100k_base), 124 for gpt-4o and gpt-4o-mini (o200k_base).
     */
    private static final List<ChatMessage> COOKBOOK_EXAMPLE = List.of(
            ChatMessage.system("You are a helpful, pattern-following assistant that translates corporate jargon into plain English."),
            new ChatMessage(Role.SYSTEM, "New synergies will help drive top-line growth.", "example_user", List.of(), null),
            new ChatMessage(Role.SYSTEM, "Things working well together will increase revenue.", "example_assistant", List.of(), null),
            new ChatMessage(Role.SYSTEM, "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.",
                    "example_user", List.of(), null),
            new ChatMessage(Role.SYSTEM, "Let's talk later when we're less busy about how to do better.", "example_assistant", List.of(), null),
            ChatMessage.user("This late pivot means we don't have time to boil the ocean for the client deliverable."));

    @ParameterizedTest(name = "{0}: {1} prompt tokens")
    @CsvSource({"cl100k_base, 129", "o200k_base, 124"})
    void matchesThePromptTokensOpenAiReported(String encoding, int apiPromptTokens) {
        assertThat(counter.countPrompt(COOKBOOK_EXAMPLE, Encoding.fromName(encoding).orElseThrow())).isEqualTo(apiPromptTokens);
    }

    @Test
    void aMessageCostsItsFramingPlusRoleAndContent() {
        assertThat(counter.countMessage(ChatMessage.user("hello"), Encoding.O200K_BASE)).isEqualTo(3 + 1 + 1);
    }

    @Test
    void specialTokenTextInContentIsCountedAsOrdinaryText() {
        assertThat(counter.countText("<|endoftext|>", Encoding.CL100K_BASE)).isGreaterThan(1);
    }

    @Test
    void vietnameseCostsMoreInCl100kThanInO200k() {
        String text = "Xin chào, tôi muốn hỏi về đơn hàng của tôi đã được giao chưa?";
        assertThat(counter.countText(text, Encoding.O200K_BASE)).isLessThan(counter.countText(text, Encoding.CL100K_BASE));
    }

    @Test
    void textWithoutLongRunsIsCountedExactly() {
        String text = "Where is my parcel? ".repeat(200) + "Xin chào, đơn hàng của tôi ở đâu? 😀";
        var exact = com.knuddels.jtokkit.Encodings.newDefaultEncodingRegistry().getEncoding(com.knuddels.jtokkit.api.EncodingType.O200K_BASE);

        assertThat(counter.countText(text, Encoding.O200K_BASE)).isEqualTo(exact.countTokensOrdinary(text));
    }

    @Test
    void aLongRunWithoutSpacesIsCountedInPiecesAFewTokensOnTheSafeSide() {
        java.util.Random random = new java.util.Random(7);
        StringBuilder blob = new StringBuilder("see ");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < 20_000; i++) blob.append(alphabet.charAt(random.nextInt(alphabet.length())));
        blob.append(" and 😀".repeat(3)).append("😀".repeat(300)); // a run of surrogate pairs, never split
        String text = blob.toString();
        var exact = com.knuddels.jtokkit.Encodings.newDefaultEncodingRegistry().getEncoding(com.knuddels.jtokkit.api.EncodingType.O200K_BASE)
                .countTokensOrdinary(text);

        int pieces = counter.countText(text, Encoding.O200K_BASE);

        assertThat(pieces).isGreaterThanOrEqualTo(exact).isLessThanOrEqualTo((int) (exact * 1.05));
    }

    @Test
    void aHostileFourMegabyteWordIsCounted() {
        // quadratic in one piece (about 5 s of CPU); in pieces, a fraction of a second
        assertThat(counter.countText("a".repeat(4 * 1024 * 1024), Encoding.O200K_BASE)).isPositive();
    }
}
