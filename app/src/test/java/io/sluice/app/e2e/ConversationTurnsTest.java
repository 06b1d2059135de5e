package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A stored conversation over HTTP: each turn carries the history upstream, and the rows are exact. */
class ConversationTurnsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** gpt-4o-mini uses o200k_base; counted here with jtokkit directly, independently of the gateway's counter. */
    private static final Encoding O200K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    record Row(long seq, String role, String content, int tokens) {}

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void threeTurnsCarryTheHistoryAndAreStoredExactly(String storage) throws Exception {
        try (TestGateway sluice = TestGateway.on(storage)) {
            HttpResponse<String> first = sluice.post("/v1/chat/completions", """
                    {"model":"gpt-4o-mini","messages":[
                      {"role":"system","content":"You are a helpful support agent."},
                      {"role":"user","content":"My order 1234 has not arrived."}]}""", "X-Conversation-Id", "new");
            assertThat(first.statusCode()).isEqualTo(200);
            String id = first.headers().firstValue("X-Conversation-Id").orElseThrow();
            assertThat(id).matches("conv_[0-9a-f]{32}");

            HttpResponse<String> second = sluice.post("/v1/chat/completions", TestGateway.chat("It was due on Monday, Xin chào!"),
                    "X-Conversation-Id", id);
            HttpResponse<String> third = sluice.post("/v1/chat/completions", TestGateway.chat("Can you refund me?"), "X-Conversation-Id", id);
            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(third.statusCode()).isEqualTo(200);
            assertThat(third.headers().firstValue("X-Conversation-Id")).contains(id);

            List<String> replies = List.of(reply(first), reply(second), reply(third));
            JsonNode thirdUpstream = sluice.simulator.recentRequests().getLast();
            List<String> sentRoles = new ArrayList<>();
            List<String> sentContents = new ArrayList<>();
            thirdUpstream.path("messages").forEach(m -> {
                sentRoles.add(m.path("role").asText());
                sentContents.add(m.path("content").asText());
            });
            assertThat(sentRoles).containsExactly("system", "user", "assistant", "user", "assistant", "user");
            assertThat(sentContents).containsExactly("You are a helpful support agent.", "My order 1234 has not arrived.",
                    replies.get(0), "It was due on Monday, Xin chào!", replies.get(1), "Can you refund me?");

            List<Row> rows = rows(sluice, id);
            assertThat(rows).extracting(Row::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
            assertThat(rows).extracting(Row::role).containsExactly("system", "user", "assistant", "user", "assistant", "user", "assistant");
            assertThat(rows.get(6).content()).isEqualTo(replies.get(2));
            for (Row row : rows) {
                int expected = 3 + O200K.countTokensOrdinary(row.role()) + O200K.countTokensOrdinary(row.content());
                assertThat(row.tokens()).as("tokens of seq %d", row.seq()).isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void anUnknownConversationIs404AndNothingIsStored(String storage) throws Exception {
        try (TestGateway sluice = TestGateway.on(storage)) {
            HttpResponse<String> response = sluice.post("/v1/chat/completions", TestGateway.chat("hello"),
                    "X-Conversation-Id", "conv_0123456789abcdef0123456789abcdef");

            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).contains("\"code\":\"conversation_not_found\"");
            assertThat(sluice.simulator.stats().requests()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void aStreamedTurnIsStoredBeforeTheStreamEnds(String storage) throws Exception {
        try (TestGateway sluice = TestGateway.on(storage)) {
            HttpResponse<String> stream = sluice.post("/v1/chat/completions",
                    "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Stream me an answer\"}]}",
                    "X-Conversation-Id", "new");
            String id = stream.headers().firstValue("X-Conversation-Id").orElseThrow();
            StringBuilder streamed = new StringBuilder();
            for (String line : stream.body().split("\n")) {
                if (line.startsWith("data: {")) {
                    JsonNode delta = JSON.readTree(line.substring(6)).path("choices").path(0).path("delta");
                    if (delta.path("content").isTextual()) streamed.append(delta.path("content").asText());
                }
            }
            assertThat(stream.body()).endsWith("data: [DONE]\n\n");

            List<Row> rows = rows(sluice, id);
            assertThat(rows).extracting(Row::role).containsExactly("user", "assistant");
            assertThat(rows.get(1).content()).isEqualTo(streamed.toString()).isNotEmpty();
        }
    }

    private static String reply(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).path("choices").path(0).path("message").path("content").asText();
    }

    private static List<Row> rows(TestGateway sluice, String conversationId) throws SQLException {
        try (Connection c = DriverManager.getConnection(sluice.storage.jdbcUrl(), sluice.storage.user(), sluice.storage.password());
             PreparedStatement q = c.prepareStatement("SELECT seq, role, content, token_count FROM messages WHERE conversation_id = ? ORDER BY seq")) {
            q.setString(1, conversationId);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4)));
            }
            return rows;
        }
    }
}
