package io.sluice.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationId;
import io.sluice.domain.Role;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.ToolCall;
import io.sluice.ports.out.ConversationStore;
import io.sluice.ports.out.NewMessage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** {@link ConversationStore} on JDBI, for PostgreSQL and H2 alike (the SQL is portable). Thread-safe. */
final class JdbcConversationStore implements ConversationStore {
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};
    private static final TypeReference<List<Map<String, String>>> CALL_LIST = new TypeReference<>() {};

    private final Jdbi jdbi;
    private final Executor executor;
    private final ObjectMapper json;

    JdbcConversationStore(Jdbi jdbi, Executor executor, ObjectMapper json) {
        this.jdbi = jdbi;
        this.executor = executor;
        this.json = json;
    }

    @Override
    public CompletionStage<Optional<Conversation>> find(ConversationId id, String owner) {
        return async(() -> jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, owner, end_user, created_at, updated_at, metadata, active FROM conversations
                        WHERE id = :id AND owner = :owner AND active""")
                .bind("id", id.value()).bind("owner", owner)
                .map((rs, ctx) -> conversation(rs)).findOne()));
    }

    @Override
    public CompletionStage<List<StoredMessage>> messages(ConversationId id) {
        return async(() -> jdbi.withHandle(h -> h.createQuery("""
                        SELECT seq, role, content, name, tool_calls, tool_call_id, token_count, model, created_at, metadata
                        FROM messages WHERE conversation_id = :id ORDER BY seq""")
                .bind("id", id.value())
                .map((rs, ctx) -> message(id, rs)).list()));
    }

    @Override
    public CompletionStage<List<StoredMessage>> append(Conversation conversation, List<NewMessage> messages) {
        return async(() -> jdbi.inTransaction(h -> {
            long lastSeq = lockLastSeq(h, conversation);
            Instant now = Instant.now();
            List<StoredMessage> stored = new ArrayList<>(messages.size());
            var batch = h.prepareBatch("""
                    INSERT INTO messages (conversation_id, seq, role, content, name, tool_calls, tool_call_id, token_count,
                                          model, created_at, metadata)
                    VALUES (:conversation, :seq, :role, :content, :name, :toolCalls, :toolCallId, :tokens, :model, :created, :metadata)""");
            for (NewMessage m : messages) {
                long seq = ++lastSeq;
                ChatMessage msg = m.message();
                batch.bind("conversation", conversation.id().value()).bind("seq", seq).bind("role", msg.role().wireName())
                        .bind("content", msg.content()).bind("name", msg.name()).bind("toolCalls", toolCallsJson(msg.toolCalls()))
                        .bind("toolCallId", msg.toolCallId()).bind("tokens", m.tokenCount()).bind("model", m.model())
                        .bind("created", Timestamp.from(now)).bind("metadata", write(m.metadata())).add();
                stored.add(new StoredMessage(conversation.id(), seq, msg, m.tokenCount(), m.model(), now, m.metadata()));
            }
            batch.execute();
            h.createUpdate("UPDATE conversations SET last_seq = :seq, updated_at = :now WHERE id = :id")
                    .bind("seq", lastSeq).bind("now", Timestamp.from(now)).bind("id", conversation.id().value()).execute();
            return stored;
        }));
    }

    /** Locks the conversation row for the rest of the transaction, creating it first if it is new. */
    private long lockLastSeq(Handle h, Conversation c) {
        Optional<Long> last = selectLastSeqForUpdate(h, c.id());
        if (last.isPresent()) return last.get();
        h.createUpdate("""
                        INSERT INTO conversations (id, owner, end_user, created_at, updated_at, metadata, active, last_seq)
                        VALUES (:id, :owner, :user, :created, :updated, :metadata, :active, 0)""")
                .bind("id", c.id().value()).bind("owner", c.owner()).bind("user", c.user())
                .bind("created", Timestamp.from(c.created())).bind("updated", Timestamp.from(c.updated()))
                .bind("metadata", write(c.metadata())).bind("active", c.active()).execute();
        return selectLastSeqForUpdate(h, c.id()).orElseThrow();
    }

    private static Optional<Long> selectLastSeqForUpdate(Handle h, ConversationId id) {
        return h.createQuery("SELECT last_seq FROM conversations WHERE id = :id FOR UPDATE")
                .bind("id", id.value()).mapTo(Long.class).findOne();
    }

    @Override
    public CompletionStage<Void> ping() {
        return async(() -> jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one())).thenApply(one -> null);
    }

    private Conversation conversation(ResultSet rs) throws SQLException {
        return new Conversation(new ConversationId(rs.getString("id")), rs.getString("owner"), rs.getString("end_user"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                read(rs.getString("metadata"), STRING_MAP), rs.getBoolean("active"));
    }

    private StoredMessage message(ConversationId id, ResultSet rs) throws SQLException {
        Role role = Role.fromWire(rs.getString("role")).orElseThrow(() -> new IllegalStateException("unknown role in store"));
        List<ToolCall> calls = new ArrayList<>();
        String callsJson = rs.getString("tool_calls");
        if (callsJson != null) {
            for (Map<String, String> c : read(callsJson, CALL_LIST)) calls.add(new ToolCall(c.get("id"), c.get("name"), c.get("arguments")));
        }
        ChatMessage message = new ChatMessage(role, rs.getString("content"), rs.getString("name"), calls, rs.getString("tool_call_id"));
        return new StoredMessage(id, rs.getLong("seq"), message, rs.getInt("token_count"), rs.getString("model"),
                rs.getTimestamp("created_at").toInstant(), read(rs.getString("metadata"), STRING_MAP));
    }

    private String toolCallsJson(List<ToolCall> calls) {
        if (calls.isEmpty()) return null;
        List<Map<String, String>> list = new ArrayList<>();
        for (ToolCall c : calls) list.add(Map.of("id", c.id(), "name", c.name(), "arguments", c.argumentsJson()));
        return write(list);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metadata could not be written as JSON", e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON could not be read", e);
        }
    }

    private <T> CompletionStage<T> async(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, executor);
    }
}
