package io.sluice.jdbc;

import static io.sluice.jdbc.UnnestColumns.column;

import io.sluice.domain.Conversation;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.usage.UsageEntry;
import io.sluice.ports.out.ConversationStore.Append;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Conversation turns stored on PostgreSQL, a round of turns of different conversations in one statement: an upsert of
 * the conversations' rows adds each turn to its conversation's counters (locking the rows, in id order, so concurrent
 * turns never share a seq and two writers never wait on each other in a cycle) and returns where each turn starts;
 * the messages and the bills are inserted from that in the same statement. The rows go as arrays
 * ({@link UnnestColumns}), so every round of two turns or a hundred is the same prepared statement; a round of one
 * turn is {@link PostgresTurn}. A conversation's second turn in one group goes in the next round: one statement may
 * not update a row twice. The portable path ({@link ConversationAppends}) takes five round trips a turn for the same
 * (lock, insert, update, bill, commit).
 */
final class PostgresTurns {
    private PostgresTurns() {}

    /** A turn as the rows it becomes, with its conversation's metadata as the JSON text the column holds. */
    private record Item(Append append, Turn turn, String metadata) {
        Conversation conversation() {
            return append.conversation();
        }
    }

    /** A message of a turn, with its conversation. */
    private record MessageRow(String conversation, Turn.Row row) {}

    private static final UnnestColumns<Item> CONVERSATIONS = new UnnestColumns<>(List.of(
            column("id", "varchar", i -> i.conversation().id().value()),
            column("owner", "varchar", i -> i.conversation().owner()),
            column("end_user", "varchar", i -> i.conversation().user()),
            column("created_at", "timestamptz", i -> i.conversation().created().toString()),
            column("metadata", "text", Item::metadata),
            column("active", "bool", i -> Boolean.toString(i.conversation().active())),
            column("context_strategy", "varchar", i -> i.conversation().defaultStrategy().map(Object::toString).orElse(null)),
            column("message_count", "int8", i -> Integer.toString(i.turn().rows().size())),
            column("tokens", "int8", i -> Long.toString(i.turn().tokens())),
            column("leading_system", "int8", i -> Integer.toString(i.turn().leadingSystem()))));

    private static final UnnestColumns<MessageRow> MESSAGES = new UnnestColumns<>(List.of(
            column("conversation_id", "varchar", MessageRow::conversation),
            column("n", "int8", m -> Integer.toString(m.row().n())),
            column("role", "varchar", m -> m.row().role()),
            column("content", "text", m -> m.row().content()),
            column("name", "varchar", m -> m.row().name()),
            column("tool_calls", "text", m -> m.row().toolCalls()),
            column("tool_call_id", "varchar", m -> m.row().toolCallId()),
            column("token_count", "int4", m -> Integer.toString(m.row().tokens())),
            column("running", "int8", m -> Long.toString(m.row().tokensBeforeInTurn())),
            column("model", "varchar", m -> m.row().model()),
            column("metadata", "text", m -> m.row().metadata()),
            column("content_parts", "text", m -> m.row().contentParts())));

    private static final String SQL = """
            WITH input AS (
                SELECT * FROM %s
            ), conversation AS (
            %s
                SELECT id, owner, end_user, created_at, CAST(? AS TIMESTAMP WITH TIME ZONE), metadata, active, context_strategy,
                       message_count, tokens, leading_system
                FROM input ORDER BY id
            %s
                RETURNING c.id, c.last_seq, c.total_tokens
            ), turn AS (
                SELECT c.id, c.last_seq - i.message_count AS seq_before, c.total_tokens - i.tokens AS tokens_before
                FROM conversation c JOIN input i ON i.id = c.id
            ), added AS (
            %s
                SELECT t.id, t.seq_before + m.n, m.role, m.content, m.name, m.tool_calls, m.tool_call_id, m.token_count,
                       t.tokens_before + m.running, m.model, CAST(? AS TIMESTAMP WITH TIME ZONE), m.metadata, m.content_parts
                FROM turn t JOIN %s ON m.conversation_id = t.id
            ), %s
            SELECT id, seq_before FROM turn""".formatted(CONVERSATIONS.from("i"), PostgresTurn.INSERT_CONVERSATION,
            PostgresTurn.ADD_TO_COUNTERS, PostgresTurn.INSERT_MESSAGES, MESSAGES.from("m"), LedgerRows.CTES);

    /**
     * Stores {@code appends} (their rows in {@code turns}, index for index) on {@code h}, in {@code rounds}
     * ({@link #rounds}), {@code json} writing conversations' metadata; returns each turn's messages as stored.
     */
    static List<List<StoredMessage>> append(Handle h, List<Append> appends, List<Turn> turns, List<List<Integer>> rounds,
                                            Function<Object, String> json) {
        Instant now = Instant.now();
        List<List<StoredMessage>> stored = new ArrayList<>(Collections.nCopies(appends.size(), null));
        for (List<Integer> round : rounds) {
            List<Item> items = new ArrayList<>(round.size());
            for (int i : round) items.add(new Item(appends.get(i), turns.get(i), json.apply(appends.get(i).conversation().metadata())));
            Map<String, Long> seqBefore = run(h, items, now);
            for (int i : round) {
                Append a = appends.get(i);
                stored.set(i, turns.get(i).stored(a.conversation().id(), seqBefore.get(a.conversation().id().value()), now));
            }
        }
        return stored;
    }

    /** The turns' indexes by round: a conversation's first turn in the first round, its second in the second, and so on. */
    static List<List<Integer>> rounds(List<Append> appends) {
        Map<String, Integer> seen = new HashMap<>();
        List<List<Integer>> rounds = new ArrayList<>();
        for (int i = 0; i < appends.size(); i++) {
            int round = seen.merge(appends.get(i).conversation().id().value(), 1, Integer::sum) - 1;
            if (round == rounds.size()) rounds.add(new ArrayList<>());
            rounds.get(round).add(i);
        }
        return rounds;
    }

    /** One round's statement; returns each conversation's last seq before its turn. */
    private static Map<String, Long> run(Handle h, List<Item> items, Instant now) {
        if (items.size() == 1 && PostgresTurn.fits(items.getFirst().turn(), items.getFirst().append().usage())) {
            Item only = items.getFirst();
            return Map.of(only.conversation().id().value(), PostgresTurn.append(h, only.conversation(), only.metadata(), only.turn(),
                    only.append().usage(), now));
        }
        List<MessageRow> messages = new ArrayList<>();
        List<UsageEntry> entries = new ArrayList<>();
        for (Item item : items) {
            for (Turn.Row row : item.turn().rows()) messages.add(new MessageRow(item.conversation().id().value(), row));
            entries.addAll(item.append().usage());
        }
        try (PreparedStatement statement = h.getConnection().prepareStatement(SQL)) {
            int index = CONVERSATIONS.bind(statement, 1, items);
            statement.setTimestamp(index++, Timestamp.from(now));
            statement.setTimestamp(index++, Timestamp.from(now));
            index = MESSAGES.bind(statement, index, messages);
            LedgerRows.ENTRIES.bind(statement, index, entries);
            Map<String, Long> seqBefore = HashMap.newHashMap(items.size());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) seqBefore.put(rs.getString(1), rs.getLong(2));
            }
            return seqBefore;
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }
}
