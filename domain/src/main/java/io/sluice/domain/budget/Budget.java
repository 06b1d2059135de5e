package io.sluice.domain.budget;

import io.sluice.domain.Require;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Optional;

/**
 * A hard cap on spend: for everyone, or for each key (owner), end user or conversation; per UTC day, per UTC month,
 * or in total. Immutable.
 */
public record Budget(Scope scope, Period period, BigDecimal limitUsd) {
    public enum Scope { GLOBAL, KEY, USER, CONVERSATION }

    public enum Period { DAY, MONTH, TOTAL }

    public Budget {
        Require.nonNull(scope, "scope");
        Require.nonNull(period, "period");
        Require.nonNull(limitUsd, "limitUsd");
        if (limitUsd.signum() < 0) throw new IllegalArgumentException("a budget must not be negative, was " + limitUsd);
    }

    /**
     * The counter this budget keeps for a call, named by its scope and period, e.g. {@code key:acme:day:2026-11-23};
     * empty when the scope does not apply (a call without a user or a conversation).
     */
    public Optional<BudgetCheck> checkFor(String owner, String user, String conversationId, Instant now) {
        String who = switch (scope) {
            case GLOBAL -> "global";
            case KEY -> "key:" + owner;
            case USER -> user == null || user.isBlank() ? null : "user:" + owner + "/" + user;
            case CONVERSATION -> conversationId == null ? null : "conversation:" + conversationId;
        };
        if (who == null) return Optional.empty();
        return Optional.of(new BudgetCheck(who + ":" + window(period, now), period, limitUsd));
    }

    /** The name of the period that holds {@code now}: {@code day:2026-11-23}, {@code month:2026-11} or {@code total}. */
    public static String window(Period period, Instant now) {
        ZonedDateTime utc = now.atZone(ZoneOffset.UTC);
        return switch (period) {
            case DAY -> "day:" + utc.toLocalDate();
            case MONTH -> "month:" + utc.getYear() + "-" + String.format(Locale.ROOT, "%02d", utc.getMonthValue());
            case TOTAL -> "total";
        };
    }
}
