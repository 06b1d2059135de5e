package io.sluice.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationId;
import io.sluice.domain.ConversationStats;
import io.sluice.domain.ContextStrategy;
import io.sluice.domain.context.Summary;
import io.sluice.domain.Role;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.ToolCall;
import io.sluice.ports.out.ConversationStore;
import io.sluice.domain.usage.UsageEntry;
import io.sluice.ports.out.ConversationWindow;
import io.sluice.ports.out.NewMessage;
import io.sluice.ports.out.Page;
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

/**
 * {@link ConversationStore} on JDBI, for PostgreSQL and H2 alike: the SQL is portable but for turns' appends
 * ({@link ConversationAppends}), which on PostgreSQL are a statement a round of turns. Thread-safe.
 */
final class JdbcConversationStore implements ConversationStore {
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};
    private static final TypeReference<List<Map<String, String>>> CALL_LIST = new TypeReference<>() {};

    private final Jdbi jdbi;
    private final StorageExecutor executor;
    private final ObjectMapper json;
    private final ConversationAppends appends;

    JdbcConversationStore(Jdbi jdbi, StorageExecutor executor, ObjectMapper json, boolean postgres) {
        this.jdbi = jdbi;
        this.executor = executor;
        this.json = json;
        this.appends = new ConversationAppends(jdbi, this::write, postgres);
    }

    @Override
    public CompletionStage<Optional<Conversation>> find(ConversationId id, String owner) {
        return async(() -> jdbi.withHandle(h -> h.createQuery(SELECT_CONVERSATIONS + " WHERE id = :id AND owner = :owner AND active")
                .bind("id", id.value()).bind("owner", owner)
                .map((rs, ctx) -> conversation(rs)).findOne()));
    }

    @Override
    public CompletionStage<List<StoredMessage>> messages(ConversationId id) {
        return async(() -> jdbi.withHandle(h -> h.createQuery(SELECT_MESSAGES + " ORDER BY seq")
                .bind("id", id.value())
                .map((rs, ctx) -> message(id, rs)).list()));
    }

    @Override
    public CompletionStage<List<StoredMessage>> append(Conversation conversation, List<NewMessage> messages, List<UsageEntry> usage) {
        return appendAll(List.of(new Append(conversation, messages, usage))).thenApply(List::getFirst);
    }

    /** The turns in one transaction, one commit for all ({@link ConversationAppends}). */
    @Override
    public CompletionStage<List<List<StoredMessage>>> appendAll(List<Append> turns) {
        return async(() -> appends.append(turns));
    }

    @Override
    public CompletionStage<ConversationWindow> window(ConversationId id, int maxMessages, long maxTokens) {
        return async(() -> jdbi.withHandle(h -> {
            Optional<Totals> found = selectTotals(h, id, false);
            if (found.isEmpty()) return new ConversationWindow(List.of(), List.of(), true, 0, null);
            Totals t = found.get();
            List<StoredMessage> system = h.createQuery(SELECT_MESSAGES + " AND seq <= :systemEnd ORDER BY seq")
                    .bind("id", id.value()).bind("systemEnd", t.systemSeqEnd()).map((rs, ctx) -> message(id, rs)).list();
            List<StoredMessage> recent;
            if (maxMessages < t.lastSeq() - t.systemSeqEnd()) {
                // bounded by count: the newest maxMessages rows on the primary key (deleted items leave gaps in the
                // seqs, so not a seq range), then trimmed to the token budget
                List<StoredMessage> newest = new ArrayList<>(h.createQuery(SELECT_MESSAGES + " AND seq > :systemEnd ORDER BY seq DESC LIMIT :n")
                        .bind("id", id.value()).bind("systemEnd", t.systemSeqEnd()).bind("n", Math.max(0, maxMessages))
                        .map((rs, ctx) -> message(id, rs)).list());
                java.util.Collections.reverse(newest);
                recent = withinTokens(newest, maxTokens);
            } else {
                // bounded by tokens: one range of the running-total index
                recent = h.createQuery(SELECT_MESSAGES + " AND seq > :systemEnd AND tokens_before >= :minBefore ORDER BY seq")
                        .bind("id", id.value()).bind("systemEnd", t.systemSeqEnd()).bind("minBefore", t.totalTokens() - maxTokens)
                        .map((rs, ctx) -> message(id, rs)).list();
            }
            boolean complete = t.lastSeq() == t.systemSeqEnd() || (!recent.isEmpty() && recent.getFirst().seq() == t.systemSeqEnd() + 1);
            return new ConversationWindow(system, recent, complete, t.lastSeq(), t.summary());
        }));
    }

    /** The newest messages of {@code messages} (oldest first) that together hold at most {@code maxTokens}. */
    private static List<StoredMessage> withinTokens(List<StoredMessage> messages, long maxTokens) {
        long tokens = 0;
        int start = messages.size();
        while (start > 0 && tokens + messages.get(start - 1).tokenCount() <= maxTokens) tokens += messages.get(--start).tokenCount();
        return messages.subList(start, messages.size());
    }

    private static final String SELECT_MESSAGES = """
            SELECT seq, role, content, name, tool_calls, tool_call_id, token_count, model, created_at, metadata, content_parts
            FROM messages WHERE conversation_id = :id""";

    /** A conversation's counters (and summary), read under a row lock during appends and deletes. */
    record Totals(long lastSeq, long totalTokens, long systemSeqEnd, Summary summary) {}

    @Override
    public CompletionStage<Boolean> saveSummary(ConversationId id, Summary previous, Summary next, long afterSeq, int folded) {
        // under the conversation's lock, so that a delete either came before (and its absence is counted) or waits
        return async(() -> jdbi.inTransaction(h -> {
            Optional<Totals> locked = selectTotals(h, id, true);
            if (locked.isEmpty() || !java.util.Objects.equals(locked.get().summary(), previous)) return false;
            if (previous != null && previous.throughSeq() >= next.throughSeq()) return false;
            long present = h.createQuery("SELECT COUNT(*) FROM messages WHERE conversation_id = :id AND seq > :after AND seq <= :through")
                    .bind("id", id.value()).bind("after", afterSeq).bind("through", next.throughSeq()).mapTo(Long.class).one();
            if (present != folded) return false;
            return h.createUpdate("UPDATE conversations SET summary = :text, summary_through_seq = :through, summary_tokens = :tokens WHERE id = :id")
                    .bind("text", next.text()).bind("through", next.throughSeq()).bind("tokens", next.tokens()).bind("id", id.value())
                    .execute() == 1;
        }));
    }

    @Override
    public CompletionStage<List<StoredMessage>> unembedded(ConversationId id, String embedder, long beforeSeq, int limit) {
        return async(() -> jdbi.withHandle(h -> h.createQuery("""
                        SELECT m.seq, m.role, m.content, m.name, m.tool_calls, m.tool_call_id, m.token_count, m.model, m.created_at, m.metadata,
                               m.content_parts
                        FROM messages m LEFT JOIN message_vectors v
                          ON v.conversation_id = m.conversation_id AND v.embedder = :embedder AND v.seq = m.seq
                        WHERE m.conversation_id = :id AND m.seq < :before AND m.role IN ('user', 'assistant')
                          AND m.content IS NOT NULL AND m.tool_calls IS NULL AND v.seq IS NULL
                        ORDER BY m.seq LIMIT :limit""")
                .bind("id", id.value()).bind("embedder", embedder).bind("before", beforeSeq).bind("limit", limit)
                .map((rs, ctx) -> message(id, rs)).list()));
    }

    @Override
    public CompletionStage<Void> saveVectors(ConversationId id, String embedder, Map<Long, float[]> vectors) {
        return async(() -> jdbi.inTransaction(h -> {
            if (vectors.isEmpty()) return null;
            // under the conversation's lock, for the messages still there: a message deleted meanwhile gets no vector
            if (selectTotals(h, id, true).isEmpty()) return null;
            List<Long> seqs = new ArrayList<>(new java.util.TreeSet<>(vectors.keySet()));
            var present = new java.util.HashSet<>(h.createQuery("SELECT seq FROM messages WHERE conversation_id = :id AND seq IN (<seqs>)")
                    .bind("id", id.value()).bindList("seqs", seqs).mapTo(Long.class).list());
            // only the seqs being saved: a concurrent recall may have stored some of them already
            var existing = new java.util.HashSet<>(h.createQuery(
                            "SELECT seq FROM message_vectors WHERE conversation_id = :id AND embedder = :e AND seq IN (<seqs>)")
                    .bind("id", id.value()).bind("e", embedder).bindList("seqs", seqs).mapTo(Long.class).list());
            var batch = h.prepareBatch("INSERT INTO message_vectors (conversation_id, embedder, seq, vector) VALUES (:id, :e, :seq, :v)");
            boolean any = false;
            for (Map.Entry<Long, float[]> v : new java.util.TreeMap<>(vectors).entrySet()) {
                if (existing.contains(v.getKey()) || !present.contains(v.getKey())) continue;
                batch.bind("id", id.value()).bind("e", embedder).bind("seq", v.getKey()).bind("v", VectorCodec.encode(v.getValue())).add();
                any = true;
            }
            if (any) batch.execute();
            return null;
        }));
    }

    @Override
    public CompletionStage<Map<Long, float[]>> vectors(ConversationId id, String embedder, long beforeSeq) {
        return async(() -> jdbi.withHandle(h -> {
            Map<Long, float[]> vectors = new java.util.HashMap<>();
            h.createQuery("SELECT seq, vector FROM message_vectors WHERE conversation_id = :id AND embedder = :e AND seq < :before")
                    .bind("id", id.value()).bind("e", embedder).bind("before", beforeSeq)
                    .map((rs, ctx) -> Map.entry(rs.getLong(1), VectorCodec.decode(rs.getBytes(2))))
                    .forEach(e -> vectors.put(e.getKey(), e.getValue()));
            return vectors;
        }));
    }

    @Override
    public CompletionStage<List<StoredMessage>> messagesAt(ConversationId id, java.util.Collection<Long> seqs) {
        if (seqs.isEmpty()) return CompletableFuture.completedFuture(List.of());
        return async(() -> jdbi.withHandle(h -> h.createQuery(SELECT_MESSAGES + " AND seq IN (<seqs>) ORDER BY seq")
                .bind("id", id.value()).bindList("seqs", new ArrayList<>(seqs))
                .map((rs, ctx) -> message(id, rs)).list()));
    }

    @Override
    public CompletionStage<Void> create(Conversation conversation) {
        return async(() -> jdbi.inTransaction(h -> {
            appends.insert(h, conversation);
            return null;
        }));
    }

    @Override
    public CompletionStage<ConversationStats> stats(ConversationId id) {
        // seqs are never reused, but deleted items leave gaps, so the messages are counted (on the primary key's index)
        return async(() -> jdbi.withHandle(h -> selectTotals(h, id, false)
                .map(t -> new ConversationStats(h.createQuery("SELECT COUNT(*) FROM messages WHERE conversation_id = :id")
                        .bind("id", id.value()).mapTo(Long.class).one(), t.totalTokens(), t.summary() == null ? 0 : t.summary().throughSeq(),
                        // every bill of the conversation, on the ledger's conversation index
                        h.createQuery("SELECT COALESCE(SUM(cost), 0) FROM usage_ledger WHERE conversation_id = :id").bind("id", id.value())
                                .mapTo(java.math.BigDecimal.class).one()))
                .orElse(new ConversationStats(0, 0, 0))));
    }

    @Override
    public CompletionStage<Page<Conversation>> list(String owner, String user, ConversationId after, int limit) {
        return async(() -> jdbi.withHandle(h -> {
            Optional<Timestamp> cursor = after == null ? Optional.empty() : h.createQuery(
                            "SELECT created_at FROM conversations WHERE id = :id AND owner = :owner")
                    .bind("id", after.value()).bind("owner", owner).mapTo(Timestamp.class).findOne();
            String sql = SELECT_CONVERSATIONS + " WHERE owner = :owner AND active"
                    + (user == null ? "" : " AND end_user = :user")
                    + (cursor.isEmpty() ? "" : " AND (created_at < :cursor OR (created_at = :cursor AND id < :afterId))")
                    + " ORDER BY created_at DESC, id DESC LIMIT :limit";
            var query = h.createQuery(sql).bind("owner", owner).bind("limit", limit + 1);
            if (user != null) query.bind("user", user);
            cursor.ifPresent(c -> query.bind("cursor", c).bind("afterId", after.value()));
            return page(query.map((rs, ctx) -> conversation(rs)).list(), limit);
        }));
    }

    @Override
    public CompletionStage<Page<StoredMessage>> page(ConversationId id, long afterSeq, int limit, boolean ascending) {
        return async(() -> jdbi.withHandle(h -> {
            String range = afterSeq <= 0 ? "" : ascending ? " AND seq > :after" : " AND seq < :after";
            var query = h.createQuery(SELECT_MESSAGES + range + " ORDER BY seq " + (ascending ? "ASC" : "DESC") + " LIMIT :limit")
                    .bind("id", id.value()).bind("limit", limit + 1);
            if (afterSeq > 0) query.bind("after", afterSeq);
            return page(query.map((rs, ctx) -> message(id, rs)).list(), limit);
        }));
    }

    @Override
    public CompletionStage<Boolean> deactivate(ConversationId id, String owner) {
        return async(() -> jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE conversations SET active = FALSE, updated_at = :now WHERE id = :id AND owner = :owner AND active")
                .bind("now", Timestamp.from(Instant.now())).bind("id", id.value()).bind("owner", owner).execute() == 1));
    }

    @Override
    public CompletionStage<Deletion> deleteMessages(ConversationId id, java.util.Collection<Long> seqs) {
        if (seqs.isEmpty()) return CompletableFuture.completedFuture(new Deletion(List.of(), 0));
        return async(() -> jdbi.inTransaction(h -> selectTotals(h, id, true).map(locked -> MessageDeletion.delete(h, id, seqs, locked))
                .orElse(new Deletion(List.of(), 0))));
    }

    /** Pages are read one row long: the extra row only says whether there is more. */
    private static <T> Page<T> page(List<T> rows, int limit) {
        return rows.size() > limit ? new Page<>(rows.subList(0, limit), true) : new Page<>(rows, false);
    }

    private static final String SELECT_CONVERSATIONS =
            "SELECT id, owner, end_user, created_at, updated_at, metadata, active, context_strategy FROM conversations";

    static Optional<Totals> selectTotals(Handle h, ConversationId id, boolean forUpdate) {
        return h.createQuery("SELECT last_seq, total_tokens, system_seq_end, summary, summary_through_seq, summary_tokens"
                        + " FROM conversations WHERE id = :id" + (forUpdate ? " FOR UPDATE" : ""))
                .bind("id", id.value())
                .map((rs, ctx) -> new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3),
                        rs.getLong(5) > 0 ? new Summary(rs.getString(4), rs.getLong(5), rs.getInt(6)) : null)).findOne();
    }

    @Override
    public CompletionStage<Void> ping() {
        return async(() -> jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one())).thenApply(one -> null);
    }

    @Override
    public CompletionStage<Boolean> updateMetadata(ConversationId id, String owner, Map<String, String> metadata) {
        return async(() -> jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE conversations SET metadata = :metadata, updated_at = :now WHERE id = :id AND owner = :owner AND active""")
                .bind("metadata", write(metadata)).bind("now", Timestamp.from(Instant.now())).bind("id", id.value()).bind("owner", owner)
                .execute() == 1));
    }

    private Conversation conversation(ResultSet rs) throws SQLException {
        return new Conversation(new ConversationId(rs.getString("id")), rs.getString("owner"), rs.getString("end_user"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                metadata(rs.getString("metadata")), rs.getBoolean("active"),
                rs.getString("context_strategy") == null ? null : ContextStrategy.parse(rs.getString("context_strategy")));
    }

    private StoredMessage message(ConversationId id, ResultSet rs) throws SQLException {
        Role role = Role.fromWire(rs.getString("role")).orElseThrow(() -> new IllegalStateException("unknown role in store"));
        List<ToolCall> calls = new ArrayList<>();
        String callsJson = rs.getString("tool_calls");
        if (callsJson != null) {
            for (Map<String, String> c : read(callsJson, CALL_LIST)) calls.add(new ToolCall(c.get("id"), c.get("name"), c.get("arguments")));
        }
        String partsJson = rs.getString("content_parts");
        ChatMessage message = new ChatMessage(role, rs.getString("content"), rs.getString("name"), calls, rs.getString("tool_call_id"),
                partsJson == null ? List.of() : ContentPartsColumn.parts(read(partsJson, CALL_LIST)));
        return new StoredMessage(id, rs.getLong("seq"), message, rs.getInt("token_count"), rs.getString("model"),
                rs.getTimestamp("created_at").toInstant(), metadata(rs.getString("metadata")));
    }

    /** Metadata is almost always empty: skip the parser for it, on every row of every window read. */
    private Map<String, String> metadata(String text) {
        return text == null || text.equals("{}") ? Map.of() : read(text, STRING_MAP);
    }

    /** Metadata is almost always empty: its JSON is written without the serializer, for every message of every turn. */
    private String write(Object value) {
        if (value instanceof Map<?, ?> map && map.isEmpty()) return "{}";
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
        return executor.run(work);
    }
}
