package io.sluice.engine.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.ContentPart;
import io.sluice.domain.ContentPart.Image;
import io.sluice.domain.Encoding;
import io.sluice.domain.MediaRule;
import io.sluice.domain.Role;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Images are counted by the published rule of the provider they go to, from the size in an inline image's header. */
class MediaTokensTest {
    /** The header of a 2048 x 4096 PNG: OpenAI's own worked example, 1105 tokens at high detail. */
    static final String TALL_PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAACAAAABAACAIAAABp9JbO";

    @Test
    void openAisWorkedExamplesCountAsItSays() {
        assertThat(MediaTokens.of(new ContentPart.Image(TALL_PNG, "high"), MediaRule.OPENAI_TILES)).isEqualTo(1105);
        assertThat(MediaTokens.of(new ContentPart.Image(TALL_PNG, "low"), MediaRule.OPENAI_TILES)).isEqualTo(85);
        assertThat(MediaTokens.tiles(1024, 1024)).as("scaled to 768 x 768: four tiles").isEqualTo(765);
        assertThat(MediaTokens.of(new ContentPart.Image("https://example.com/order.jpg", null), MediaRule.OPENAI_TILES)).as("a link: taken as 1024 x 1024").isEqualTo(765);
    }

    @Test
    void gifAndJpegHeadersGiveTheirSize() {
        byte[] gif = {'G', 'I', 'F', '8', '9', 'a', (byte) 0x20, 0x03, (byte) 0x58, 0x02}; // 800 x 600
        assertThat(MediaTokens.size(Base64.getEncoder().encodeToString(gif))).containsExactly(800, 600);
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0x00, 0x04, 0x00, 0x00, // APP0, 2 bytes of data
                (byte) 0xFF, (byte) 0xC0, 0x00, 0x11, 0x08, 0x01, (byte) 0xE0, 0x02, (byte) 0x80, 0x03}; // SOF0: 480 high, 640 wide
        assertThat(MediaTokens.size(Base64.getEncoder().encodeToString(jpeg))).containsExactly(640, 480);
        assertThat(MediaTokens.size("bm90IGFuIGltYWdl")).as("not an image").isNull();
        assertThat(MediaTokens.size("%%%")).as("not base64").isNull();
    }

    @Test
    void aMessageCountsItsTextOnceAndItsImagesBesideIt() {
        JtokkitTokenCounter counter = new JtokkitTokenCounter();
        ChatMessage text = new ChatMessage(Role.USER, "What is wrong with this order?", null, List.of(), null);
        ChatMessage withImage = new ChatMessage(Role.USER, "What is wrong with this order?", null, List.of(), null,
                List.of(new ContentPart.Text("What is wrong with this order?"), new ContentPart.Image(TALL_PNG, "low")));

        assertThat(counter.countMessage(withImage, Encoding.O200K_BASE)).isEqualTo(counter.countMessage(text, Encoding.O200K_BASE) + 85);
    }

    @Test
    void anthropicCountsPixelsScaledToItsLongEdgeAndCapped() {
        assertThat(MediaTokens.anthropic(1000, 1000)).as("its worked example: 1000 x 1000 is about 1334").isEqualTo(1334);
        assertThat(MediaTokens.anthropic(200, 200)).as("about 54").isEqualTo(54);
        assertThat(MediaTokens.anthropic(1092, 1092)).as("its largest square without resizing: about 1590").isEqualTo(1590);
        assertThat(MediaTokens.anthropic(4000, 3000)).as("a phone photo is scaled down to the cap").isEqualTo(1600);
        Image tall = new Image(TALL_PNG, "low");
        assertThat(MediaTokens.of(tall, MediaRule.ANTHROPIC_PIXELS)).as("detail is OpenAI's: 2048 x 4096 scaled to 784 x 1568, capped").isEqualTo(1600);
        assertThat(MediaTokens.of(new Image("https://example.com/order.jpg", null), MediaRule.ANTHROPIC_PIXELS)).isEqualTo(1399);
    }

    @Test
    void geminiCountsTilesOf768() {
        assertThat(MediaTokens.gemini(384, 300)).as("small: one flat count").isEqualTo(258);
        assertThat(MediaTokens.gemini(600, 400)).as("one tile").isEqualTo(258);
        assertThat(MediaTokens.gemini(1920, 1080)).as("3 x 2 tiles").isEqualTo(1548);
        assertThat(MediaTokens.of(new Image(TALL_PNG, "high"), MediaRule.GEMINI_TILES)).as("2048 x 4096: 3 x 6 tiles").isEqualTo(4644);
        assertThat(MediaTokens.of(new Image("https://example.com/order.jpg", null), MediaRule.GEMINI_TILES)).isEqualTo(1032);
    }

    @Test
    void theSameMessageCountsByTheRuleOfTheProviderItGoesTo() {
        JtokkitTokenCounter counter = new JtokkitTokenCounter();
        ChatMessage screenshot = new ChatMessage(Role.USER, "", null, List.of(), null, List.of(new Image(TALL_PNG, "high")));
        int openAi = counter.countMessage(screenshot, Encoding.O200K_BASE);
        assertThat(counter.countMessage(screenshot, Encoding.O200K_BASE, MediaRule.OPENAI_TILES)).isEqualTo(openAi);
        assertThat(counter.countMessage(screenshot, Encoding.O200K_BASE, MediaRule.ANTHROPIC_PIXELS)).isEqualTo(openAi - 1105 + 1600);
        assertThat(counter.countMessage(screenshot, Encoding.O200K_BASE, MediaRule.GEMINI_TILES)).isEqualTo(openAi - 1105 + 4644);
    }
}
