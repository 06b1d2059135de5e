package io.sluice.domain.usage;

import io.sluice.domain.Require;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Which ledger entries to total, and how to group them: an owner (empty for everyone: the admin report), a time
 * range [{@code from}, {@code to}), and the dimensions to group by. Immutable.
 */
public record UsageQuery(Optional<String> owner, Instant from, Instant to, List<Dimension> groupBy) {
    /** What totals can be grouped by. */
    public enum Dimension {
        /** {@code KEY} is the gateway API key's id (none on an open gateway), {@code OWNER} its tenant. */
        DAY, MODEL, OWNER, KEY, USER, CONVERSATION, ROUTE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public UsageQuery {
        Require.nonNull(owner, "owner");
        Require.nonNull(from, "from");
        Require.nonNull(to, "to");
        if (!from.isBefore(to)) throw new IllegalArgumentException("'from' must be before 'to'");
        groupBy = List.copyOf(groupBy);
    }
}
