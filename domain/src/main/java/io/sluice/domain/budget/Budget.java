package io.sluice.domain.budget;

import io.sluice.domain.CounterNames;
import io.sluice.domain.Require;
import io.sluice.domain.usage.SpendFilter;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
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

    /** The end of a total's period: far enough that no bill is dated after it. */
    public static final Instant END_OF_TIME = Instant.parse("9999-12-31T00:00:00Z");

    public Budget {
        Require.nonNull(scope, "scope");
        Require.nonNull(period, "period");
        Require.nonNull(limitUsd, "limitUsd");
        if (limitUsd.signum() < 0) throw new IllegalArgumentException("a budget must not be negative, was " + limitUsd);
    }

    /**
     * The counter this budget keeps for a call, named by its scope and period, e.g. {@code key:acme:day:2026-11-23} ({@link CounterNames});
     * empty when the scope does not apply (a call without a user or a conversation).
     */
    public Optional<BudgetCheck> checkFor(String owner, String user, String conversationId, Instant now) {
        boolean noUser = user == null || user.isBlank();
        if (scope == Scope.USER && noUser || scope == Scope.CONVERSATION && conversationId == null) return Optional.empty();
        SpendFilter all = SpendFilter.everyone(start(period, now), end(period, now));
        return Optional.of(switch (scope) {
            case GLOBAL -> check("global", all);
            case KEY -> check(CounterNames.key(owner), all.owner(owner));
            case USER -> check(CounterNames.user(owner, user), all.owner(owner).user(user));
            case CONVERSATION -> check(CounterNames.conversation(conversationId), all.conversation(conversationId));
        });
    }

    private BudgetCheck check(String who, SpendFilter spend) {
        return new BudgetCheck(who + ":" + window(period, spend.from()), period, limitUsd, spend);
    }

    /** When the period that holds {@code now} began (UTC). */
    public static Instant start(Period period, Instant now) {
        LocalDate day = now.atZone(ZoneOffset.UTC).toLocalDate();
        return switch (period) {
            case DAY -> day.atStartOfDay(ZoneOffset.UTC).toInstant();
            case MONTH -> day.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            case TOTAL -> Instant.EPOCH;
        };
    }

    /** When the period that holds {@code now} ends (UTC), exclusive. */
    public static Instant end(Period period, Instant now) {
        ZonedDateTime start = start(period, now).atZone(ZoneOffset.UTC);
        return switch (period) {
            case DAY -> start.plusDays(1).toInstant();
            case MONTH -> start.plusMonths(1).toInstant();
            case TOTAL -> END_OF_TIME;
        };
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
