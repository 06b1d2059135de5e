package io.sluice.http.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.domain.ConversationId;
import io.sluice.domain.error.InvalidRequestException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A response id is the address of its turn: it gives back its conversation and request, and nothing else passes for one. */
class ResponseIdsTest {
    private static final String REQUEST = "req_0123456789abcdef0123456789abcdef";

    @Test
    void aStoredResponsesIdGivesBackItsConversationAndRequest() {
        ConversationId conversation = ConversationId.random();
        String id = ResponseIds.of(REQUEST, Optional.of(conversation));

        assertThat(ResponseIds.conversation(id, "previous_response_id")).isEqualTo(conversation);
        assertThat(ResponseIds.requestId(id)).isEqualTo(REQUEST);
    }

    @Test
    void anUnstoredOrHostileIdIsRefusedNamingTheParameter() {
        String unstored = ResponseIds.of(REQUEST, Optional.empty());
        assertThat(unstored).isEqualTo("resp_0123456789abcdef0123456789abcdef");
        for (String bad : new String[]{unstored, "resp_" + "a".repeat(10_000), "resp_../../conv", "", null}) {
            assertThatThrownBy(() -> ResponseIds.conversation(bad, "previous_response_id"))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.param()).isEqualTo("previous_response_id"))
                    .hasMessageNotContaining("aaaaaaaaaa");
        }
        assertThatThrownBy(() -> ResponseIds.of("req_not-ours", Optional.empty())).isInstanceOf(IllegalArgumentException.class);
    }
}
