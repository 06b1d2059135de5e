package io.sluice.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.domain.error.InvalidRequestException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DomainValuesTest {
    @Test
    void costIsExactToTheNanoDollar() {
        Prices deepseek = Prices.of("0.42", "2.80");
        BigDecimal cost = deepseek.cost(new Usage(1_234, 567, 0));

        // 1234 * 0.42 / 1e6 + 567 * 2.80 / 1e6 = 0.00051828 + 0.0015876
        assertThat(cost).isEqualByComparingTo("0.00210588");
        assertThat(cost.scale()).isEqualTo(Prices.COST_SCALE);
    }

    @Test
    void cachedInputIsBilledAtItsOwnPrice() {
        Prices prices = new Prices(new BigDecimal("2"), new BigDecimal("8"), new BigDecimal("0.5"));
        assertThat(prices.cost(new Usage(1_000_000, 0, 400_000))).isEqualByComparingTo("1.4");
    }

    @Test
    void promptCacheWritesAreBilledAtTheirOwnPriceAndAtTheInputPriceWhenNoneIsSet() {
        Prices anthropic = new Prices(new BigDecimal("3"), new BigDecimal("15"), new BigDecimal("0.30"), new BigDecimal("3.75"), "catalog");
        // 1M prompt tokens: 200k read from the cache, 300k written to it, 500k plain; no output
        assertThat(anthropic.cost(new Usage(1_000_000, 0, 200_000, 300_000))).isEqualByComparingTo("2.685"); // 1.5 + 0.06 + 1.125
        Prices configured = new Prices(new BigDecimal("3"), new BigDecimal("15"), new BigDecimal("0.30"));
        assertThat(configured.cost(new Usage(1_000_000, 0, 200_000, 300_000))).isEqualByComparingTo("2.46"); // 2.4 + 0.06
        assertThat(configured.source()).isEqualTo(Prices.CONFIGURED);
        assertThat(Prices.UNKNOWN.known()).isFalse();
    }

    @Test
    void aMillionCallsOfOneTokenAddUpExactly() {
        Prices prices = Prices.of("0.15", "0.60");
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < 1_000_000; i++) total = total.add(prices.cost(new Usage(1, 1, 0)));
        assertThat(total).isEqualByComparingTo("0.75");
    }

    @Test
    void negativePricesAndUsageAreRefused() {
        assertThatThrownBy(() -> Prices.of("-1", "1")).hasMessageContaining("'inputPerMillion' must not be negative");
        assertThatThrownBy(() -> new Usage(-1, 0, 0)).hasMessageContaining("'promptTokens'");
        assertThatThrownBy(() -> new Usage(1, 0, 2)).hasMessageContaining("'cachedPromptTokens'");
    }

    @Test
    void messagesFollowTheRulesOfTheirRole() {
        assertThatThrownBy(() -> ChatMessage.user("")).hasMessageContaining("'content' must not be empty for a user message");
        assertThatThrownBy(() -> new ChatMessage(Role.TOOL, "42", null, List.of(), null)).hasMessageContaining("'tool_call_id'");
        assertThatThrownBy(() -> new ChatMessage(Role.USER, "hi", null, List.of(new ToolCall("c", "f", "{}")), null))
                .hasMessageContaining("only allowed on assistant");
        assertThat(ChatMessage.assistant(null, List.of(new ToolCall("c", "f", "{}"))).toolCalls()).hasSize(1);
    }

    @Test
    void aMessagesCharactersCountItsMediaAndToolCallsNotOnlyItsText() {
        assertThat(ChatMessage.user("hello").chars()).isEqualTo(5);
        assertThat(ChatMessage.assistant(null, List.of(new ToolCall("c1", "track", "{\"id\":7}"))).chars()).isEqualTo(2 + 5 + 8);
        String image = "data:image/png;base64," + "A".repeat(10_000);
        ChatMessage withImage = new ChatMessage(Role.USER, "what is this?", null, List.of(), null,
                List.of(new ContentPart.Text("what is this?"), new ContentPart.Image(image, "low")));
        assertThat(withImage.chars()).isEqualTo(13 + 13 + image.length() + 3);
        assertThat(new ChatMessage(Role.USER, null, null, List.of(), null, List.of(new ContentPart.Audio("UklGR", "wav"),
                new ContentPart.File(null, "data:application/pdf;base64,JVBER", "a.pdf"))).chars()).isEqualTo(5 + 3 + 33 + 5);
    }

    @ParameterizedTest
    @CsvSource({"system, SYSTEM", "developer, SYSTEM", "user, USER", "assistant, ASSISTANT", "tool, TOOL"})
    void rolesAreReadFromTheirWireNames(String wire, Role role) {
        assertThat(Role.fromWire(wire)).contains(role);
    }

    @Test
    void unknownRolesAreNotRoles() {
        assertThat(Role.fromWire("wizard")).isEmpty();
        assertThat(Role.fromWire(null)).isEmpty();
    }

    @Test
    void conversationIdsHaveOneShape() {
        assertThat(ConversationId.random().value()).matches("conv_[0-9a-f]{32}");
        assertThatThrownBy(() -> new ConversationId("conv_xyz")).hasMessageContaining("'conversationId' must look like");
        assertThatThrownBy(() -> new ConversationId(null)).hasMessageContaining("'conversationId' must not be null");
    }

    @ParameterizedTest
    @CsvSource({"gpt-4o, O200K_BASE", "gpt-4o-mini, O200K_BASE", "gpt-4.1-mini, O200K_BASE", "o3-mini, O200K_BASE",
            "gpt-5, O200K_BASE", "gpt-4, CL100K_BASE", "gpt-4-turbo, CL100K_BASE", "gpt-3.5-turbo, CL100K_BASE"})
    void openAiModelsHaveTheirEncoding(String model, Encoding encoding) {
        assertThat(Encoding.forOpenAiModel(model)).contains(encoding);
    }

    @Test
    void otherModelsHaveNoKnownEncoding() {
        assertThat(Encoding.forOpenAiModel("claude-sonnet-4.5")).isEmpty();
        assertThat(Encoding.forOpenAiModel("deepseek-v3.2")).isEmpty();
    }

    @Test
    void optionsCheckRangesAndNameTheParameter() {
        assertThatThrownBy(() -> new ChatOptions(2.5, null, null, null, null, null, null, null, null, null, null, Map.of(), null, false))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'temperature'")
                .extracting(e -> ((InvalidRequestException) e).param()).isEqualTo("temperature");
        assertThatThrownBy(() -> new ChatOptions(null, null, null, List.of("a", "b", "c", "d", "e"), null, null, null, null, null, null, null, Map.of(), null, false))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'stop'");
    }

    @Test
    void aResponseMustCarryAnAssistantMessage() {
        assertThatThrownBy(() -> new ChatResponse("id", "m", 0, ChatMessage.user("x"), "stop", Usage.ZERO))
                .hasMessageContaining("assistant");
    }
}
