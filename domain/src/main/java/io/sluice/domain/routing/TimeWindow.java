package io.sluice.domain.routing;

import io.sluice.domain.Require;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A time of day (in its route's time zone) when a route is served differently: another degradation chain, another
 * SLA tier, other canary weights, each optional, e.g. cheaper models at peak hours. From {@code from} (included) to
 * {@code to} (excluded), in seconds of the day; a window whose {@code to} comes before its {@code from} runs past
 * midnight, and counts as the day it started. {@code days}: the days it applies on, every day when empty. Immutable.
 */
public record TimeWindow(String name, Set<DayOfWeek> days, int from, int to, Optional<List<ChainLink>> chain, Optional<String> tier,
                         Map<String, Integer> weights) {
    private static final int DAY = 24 * 3600;

    public TimeWindow {
        Require.nonBlank(name, "name");
        days = days == null || days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
        if (from < 0 || from >= DAY) throw new IllegalArgumentException("window '" + name + "' must start between 00:00 and 23:59:59");
        if (to <= 0 || to > DAY) throw new IllegalArgumentException("window '" + name + "' must end between 00:00:01 and 24:00");
        if (from == to) throw new IllegalArgumentException("window '" + name + "' starts and ends at the same time; use 00:00 to 24:00 for a whole day");
        chain = chain == null ? Optional.empty() : chain.map(List::copyOf);
        tier = tier == null ? Optional.empty() : tier;
        weights = weights == null ? Map.of() : Map.copyOf(weights);
        weights.forEach((deployment, weight) -> {
            if (weight == null || weight < 0) throw new IllegalArgumentException("window '" + name + "' gives '" + deployment + "' a negative weight");
        });
        if (chain.isEmpty() && tier.isEmpty() && weights.isEmpty()) {
            throw new IllegalArgumentException("window '" + name + "' changes nothing: give it a chain, a tier or weights");
        }
    }

    /** Whether {@code local} (a time in the route's zone) falls in this window. */
    public boolean contains(LocalDateTime local) {
        int second = local.toLocalTime().toSecondOfDay();
        if (from < to) return second >= from && second < to && onDay(local.getDayOfWeek());
        if (second >= from) return onDay(local.getDayOfWeek());
        return second < to && onDay(local.getDayOfWeek().minus(1)); // the small hours belong to the evening it started
    }

    private boolean onDay(DayOfWeek day) {
        return days.isEmpty() || days.contains(day);
    }

    /** {@code HH:mm} or {@code HH:mm:ss} as seconds of the day; {@code 24:00} (the end of the day) only when {@code end}. */
    public static int secondOfDay(String text, boolean end) {
        String t = Require.nonBlank(text, "time").strip();
        String[] parts = t.split(":");
        try {
            if (parts.length < 2 || parts.length > 3) throw new NumberFormatException();
            int h = Integer.parseInt(parts[0]);
            int m = Integer.parseInt(parts[1]);
            int s = parts.length == 3 ? Integer.parseInt(parts[2]) : 0;
            if (end && h == 24 && m == 0 && s == 0) return DAY;
            if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59) throw new NumberFormatException();
            return h * 3600 + m * 60 + s;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + (t.length() > 20 ? t.substring(0, 20) : t) + "' is not a time of day (HH:mm or HH:mm:ss"
                    + (end ? ", or 24:00" : "") + ")");
        }
    }

    /** A day's name as written in config: {@code mon}, {@code monday}, {@code MON}. */
    public static DayOfWeek day(String text) {
        String t = Require.nonBlank(text, "day").strip().toUpperCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) if (d.name().equals(t) || d.name().startsWith(t) && t.length() == 3) return d;
        throw new IllegalArgumentException("'" + (t.length() > 20 ? t.substring(0, 20) : t) + "' is not a day of the week (mon, tue, ..., sun)");
    }
}
