package io.sluice.engine.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatOptions;
import io.sluice.domain.ChatRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponseKeyTest {
    private static ChatRequest request(ChatOptions options, ChatMessage... messages) {
        return new ChatRequest("gpt-4o-mini", List.of(messages), options);
    }

    private static final ChatMessage SYSTEM = ChatMessage.system("You are Acme's support assistant.");
    private static final ChatRequest BASE = request(ChatOptions.builder().temperature(0.0).build(), SYSTEM, ChatMessage.user("Where is my order?"));

    @Test
    void theSameRequestInTheSameScopeHasTheSameKeyAndAnythingThatChangesTheAnswerChangesIt() {
        String key = ResponseKey.exact("owner:acme", "support", BASE);
        assertThat(key).hasSize(64).isEqualTo(ResponseKey.exact("owner:acme", "support", request(BASE.options(), SYSTEM, ChatMessage.user("Where is my order?"))));
        assertThat(ResponseKey.exact("owner:globex", "support", BASE)).isNotEqualTo(key);
        assertThat(ResponseKey.exact("owner:acme", "other-model", BASE)).isNotEqualTo(key);
        assertThat(ResponseKey.exact("owner:acme", "support", request(ChatOptions.builder().temperature(0.0).maxTokens(50).build(), SYSTEM,
                ChatMessage.user("Where is my order?")))).isNotEqualTo(key);
        assertThat(ResponseKey.exact("owner:acme", "support", request(BASE.options(), ChatMessage.user("Where is my order?")))).as("no system prompt")
                .isNotEqualTo(key);
        assertThat(ResponseKey.exact("owner:acme", "support", request(ChatOptions.builder().temperature(0.0).responseFormatJson("{\"type\":\"json_object\"}").build(),
                SYSTEM, ChatMessage.user("Where is my order?")))).isNotEqualTo(key);
    }

    @Test
    void fieldsAreFramedSoThatMovingTextBetweenThemChangesTheKey() {
        ChatRequest split = request(BASE.options(), ChatMessage.system("ab"), ChatMessage.user("c"));
        ChatRequest moved = request(BASE.options(), ChatMessage.system("a"), ChatMessage.user("bc"));
        assertThat(ResponseKey.exact("s", "m", split)).isNotEqualTo(ResponseKey.exact("s", "m", moved));
    }

    @Test
    void whatDoesNotChangeTheAnswerIsLeftOutAndPassThroughFieldsAreReadInKeyOrder() {
        ChatOptions plain = ChatOptions.builder().temperature(0.0).extraJson(Map.of("service_tier", "\"auto\"")).build();
        ChatOptions noisy = ChatOptions.builder().temperature(0.0).user("end-user-7").extraJson(Map.of("service_tier", "\"auto\"",
                "stream_options", "{\"include_usage\":true}", "metadata", "{\"ticket\":\"42\"}", "store", "true")).build();
        assertThat(ResponseKey.exact("s", "m", request(noisy, ChatMessage.user("hi")))).isEqualTo(ResponseKey.exact("s", "m", request(plain, ChatMessage.user("hi"))));
        ChatOptions other = ChatOptions.builder().temperature(0.0).extraJson(Map.of("service_tier", "\"flex\"")).build();
        assertThat(ResponseKey.exact("s", "m", request(other, ChatMessage.user("hi")))).isNotEqualTo(ResponseKey.exact("s", "m", request(plain, ChatMessage.user("hi"))));
    }

    @Test
    void aSemanticBucketIsEverythingButTheQuestionAndTheIdentifiersItNames() {
        ChatRequest other = request(BASE.options(), SYSTEM, ChatMessage.user("How do I return a parcel?"));
        assertThat(ResponseKey.bucket("s", "m", BASE, "")).isEqualTo(ResponseKey.bucket("s", "m", other, ""));
        assertThat(ResponseKey.bucket("s", "m", BASE, "1234")).isNotEqualTo(ResponseKey.bucket("s", "m", other, "5678"));
        assertThat(ResponseKey.bucket("s", "m", BASE, "")).isNotEqualTo(ResponseKey.exact("s", "m", BASE));
    }
}
