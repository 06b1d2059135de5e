package io.sluice.ports.out;

import io.sluice.domain.usage.SpendFilter;
import io.sluice.domain.usage.UsageEntry;
import io.sluice.domain.usage.UsageQuery;
import io.sluice.domain.usage.UsageTotal;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Where every billed upstream attempt is kept. Entries of a stored conversation's turn are written with its messages
 * ({@link ConversationStore#append(io.sluice.domain.Conversation, List, List)}); others come here. Writing an entry
 * twice (same request id and attempt) keeps one. Thread-safe; completes asynchronously.
 */
public interface UsageLedger {
    CompletionStage<Void> record(List<UsageEntry> entries);

    /** Totals per group, ordered by the grouped values. */
    CompletionStage<List<UsageTotal>> totals(UsageQuery query);

    /** What the entries the filter selects cost, in all: what rebuilds a budget counter that its store lost. */
    CompletionStage<BigDecimal> spent(SpendFilter filter);

    /** What each of these calls was billed, by request id; a call with no entry is absent. */
    CompletionStage<Map<String, BigDecimal>> billed(Collection<String> requestIds);

    /** Keeps nothing: for an engine embedded where usage is not wanted. */
    UsageLedger NONE = new UsageLedger() {
        @Override
        public CompletionStage<Void> record(List<UsageEntry> entries) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<List<UsageTotal>> totals(UsageQuery query) {
            return java.util.concurrent.CompletableFuture.completedFuture(List.of());
        }

        @Override
        public CompletionStage<BigDecimal> spent(SpendFilter filter) {
            return java.util.concurrent.CompletableFuture.completedFuture(BigDecimal.ZERO);
        }

        @Override
        public CompletionStage<Map<String, BigDecimal>> billed(Collection<String> requestIds) {
            return java.util.concurrent.CompletableFuture.completedFuture(Map.of());
        }
    };
}
