package io.sluice.jdbc;

import io.sluice.domain.Conversation;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.usage.UsageEntry;
import io.sluice.ports.out.ConversationStore.Append;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Conversation turns stored, each atomically with its conversation's counters and its bills, a group of them in one
 * transaction: on PostgreSQL a statement a round of turns ({@link PostgresTurns}); in the portable SQL (H2) each turn
 * locks its conversation's row, inserts its messages, updates the counters and bills. Thread-safe.
 */
final class ConversationAppends {
    private final Jdbi jdbi;
    private final Function<Object, String> json;
    private final boolean postgres;

    /** {@code json} writes tool calls and metadata as the JSON text the columns hold. */
    ConversationAppends(Jdbi jdbi, Function<Object, String> json, boolean postgres) {
        this.jdbi = jdbi;
        this.json = json;
        this.postgres = postgres;
    }

    /** Stores the turns; returns each one's messages as stored. Blocks: call it on a storage thread. */
    List<List<StoredMessage>> append(List<Append> appends) {
        List<Turn> turns = appends.stream().map(a -> Turn.of(a.messages(), json)).toList();
        if (postgres) {
            List<List<Integer>> rounds = PostgresTurns.rounds(appends);
            // one round is one statement, atomic on its own: no transaction, so no separate round trip for its commit
            if (rounds.size() == 1) return jdbi.withHandle(h -> PostgresTurns.append(h, appends, turns, rounds, json));
            return jdbi.inTransaction(h -> PostgresTurns.append(h, appends, turns, rounds, json));
        }
        // each conversation's row is locked by its turn until the commit; the turns go in conversation id order (a
        // stable sort: one conversation's keep theirs), so that two such transactions never wait on each other in a cycle
        Integer[] order = IntStream.range(0, appends.size()).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparing(i -> appends.get(i).conversation().id().value()));
        return LedgerRollups.billing(false, () -> jdbi.inTransaction(h -> {
            List<List<StoredMessage>> stored = new ArrayList<>(Collections.nCopies(appends.size(), null));
            for (int i : order) stored.set(i, appendPortably(h, appends.get(i).conversation(), turns.get(i), appends.get(i).usage()));
            return stored;
        }));
    }

    /** Appends one turn on {@code h}: lock (creating the conversation if new), insert, update, bill. */
    private List<StoredMessage> appendPortably(Handle h, Conversation conversation, Turn turn, List<UsageEntry> usage) {
        JdbcConversationStore.Totals totals = lockTotals(h, conversation);
        Instant now = Instant.now();
        var batch = h.prepareBatch(PostgresTurn.INSERT_MESSAGES + """

                VALUES (:conversation, :seq, :role, :content, :name, :toolCalls, :toolCallId, :tokens, :tokensBefore,
                        :model, :created, :metadata, :parts)""");
        for (Turn.Row r : turn.rows()) {
            batch.bind("conversation", conversation.id().value()).bind("seq", totals.lastSeq() + r.n()).bind("role", r.role())
                    .bind("content", r.content()).bind("name", r.name()).bind("toolCalls", r.toolCalls())
                    .bind("toolCallId", r.toolCallId()).bind("tokens", r.tokens()).bind("tokensBefore", totals.totalTokens() + r.tokensBeforeInTurn())
                    .bind("model", r.model()).bind("created", Timestamp.from(now)).bind("metadata", r.metadata())
                    .bind("parts", r.contentParts()).add();
        }
        if (!turn.rows().isEmpty()) batch.execute();
        h.createUpdate("""
                        UPDATE conversations SET last_seq = :seq, total_tokens = :total, system_seq_end = :systemEnd, updated_at = :now
                        WHERE id = :id""")
                .bind("seq", totals.lastSeq() + turn.rows().size()).bind("total", totals.totalTokens() + turn.tokens())
                .bind("systemEnd", turn.systemSeqEnd(totals.lastSeq(), totals.systemSeqEnd()))
                .bind("now", Timestamp.from(now)).bind("id", conversation.id().value()).execute();
        JdbcUsageLedger.insert(h, usage, false);
        return turn.stored(conversation.id(), totals.lastSeq(), now);
    }

    /** Locks the conversation row for the rest of the transaction, creating it first if it is new. */
    private JdbcConversationStore.Totals lockTotals(Handle h, Conversation c) {
        var totals = JdbcConversationStore.selectTotals(h, c.id(), true);
        if (totals.isPresent()) return totals.get();
        insert(h, c);
        return JdbcConversationStore.selectTotals(h, c.id(), true).orElseThrow();
    }

    /** Inserts a new conversation's row, with no messages yet. */
    void insert(Handle h, Conversation c) {
        bindNew(h.createUpdate("""
                        INSERT INTO conversations (id, owner, end_user, created_at, updated_at, metadata, active, last_seq, context_strategy)
                        VALUES (:id, :owner, :user, :created, :updated, :metadata, :active, 0, :strategy)"""), c)
                .bind("updated", Timestamp.from(c.updated())).execute();
    }

    /** Binds what a new conversation row holds but for its update time: id, owner, user, created, metadata, active, strategy. */
    private <S extends SqlStatement<S>> S bindNew(S statement, Conversation c) {
        return new Params(7).text("id", c.id().value()).text("owner", c.owner()).text("user", c.user())
                .put("created", Timestamp.from(c.created())).text("metadata", json.apply(c.metadata())).put("active", c.active())
                .text("strategy", c.defaultStrategy().map(Object::toString).orElse(null)).bindTo(statement);
    }
}
