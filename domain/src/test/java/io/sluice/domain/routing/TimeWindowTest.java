package io.sluice.domain.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TimeWindowTest {
    private static TimeWindow window(String from, String to, Set<DayOfWeek> days) {
        return new TimeWindow("w", days, TimeWindow.secondOfDay(from, false), TimeWindow.secondOfDay(to, true), Optional.empty(),
                Optional.of("fast"), Map.of());
    }

    /** 2026-12-07 is a Monday. */
    private static LocalDateTime monday(int hour, int minute, int second) {
        return LocalDateTime.of(2026, 12, 7, hour, minute, second);
    }

    @Test
    void aWindowIncludesItsStartAndExcludesItsEnd() {
        TimeWindow peak = window("09:00", "11:00", Set.of());
        assertThat(peak.contains(monday(8, 59, 59))).isFalse();
        assertThat(peak.contains(monday(9, 0, 0))).isTrue();
        assertThat(peak.contains(monday(10, 59, 59))).isTrue();
        assertThat(peak.contains(monday(11, 0, 0))).isFalse();
        assertThat(window("00:00", "24:00", Set.of()).contains(monday(23, 59, 59))).as("24:00 is the end of the day").isTrue();
    }

    @Test
    void aWindowPastMidnightBelongsToTheDayItStarted() {
        TimeWindow fridayNight = window("22:00", "02:00", Set.of(DayOfWeek.FRIDAY));
        LocalDateTime friday = LocalDateTime.of(2026, 12, 11, 23, 0);
        assertThat(fridayNight.contains(friday)).isTrue();
        assertThat(fridayNight.contains(friday.plusHours(2))).as("01:00 on Saturday").isTrue();
        assertThat(fridayNight.contains(friday.plusHours(3))).as("02:00 on Saturday").isFalse();
        assertThat(fridayNight.contains(friday.minusDays(1))).as("Thursday").isFalse();
        assertThat(fridayNight.contains(friday.minusDays(1).plusHours(2))).as("01:00 on Friday belongs to Thursday night").isFalse();
    }

    @Test
    void daysAndTimesAreReadAsWrittenAndBadOnesAreRefusedByName() {
        assertThat(TimeWindow.day("mon")).isEqualTo(DayOfWeek.MONDAY);
        assertThat(TimeWindow.day("Saturday")).isEqualTo(DayOfWeek.SATURDAY);
        assertThat(TimeWindow.secondOfDay("09:30", false)).isEqualTo(9 * 3600 + 30 * 60);
        assertThat(TimeWindow.secondOfDay("23:59:59", false)).isEqualTo(86_399);
        assertThatThrownBy(() -> TimeWindow.day("someday")).hasMessageContaining("not a day of the week");
        assertThatThrownBy(() -> TimeWindow.secondOfDay("24:00", false)).hasMessageContaining("not a time of day");
        assertThatThrownBy(() -> TimeWindow.secondOfDay("9h", true)).hasMessageContaining("not a time of day");
        assertThatThrownBy(() -> TimeWindow.secondOfDay("25:00", true)).hasMessageContaining("not a time of day");
        assertThatThrownBy(() -> window("10:00", "10:00", Set.of())).hasMessageContaining("same time");
        assertThatThrownBy(() -> new TimeWindow("w", Set.of(), 0, 3600, Optional.empty(), Optional.empty(), Map.of()))
                .hasMessageContaining("changes nothing");
        assertThatThrownBy(() -> new TimeWindow("w", Set.of(), 0, 3600, Optional.empty(), Optional.empty(), Map.of("canary", -1)))
                .hasMessageContaining("negative");
    }

    @Test
    void aRouteRefusesAWindowThatWeighsADeploymentItDoesNotHaveOrLeavesNoWeight() {
        List<ChainLink> chain = List.of(new ChainLink("big", Complexity.COMPLEX));
        List<Deployment> split = List.of(new Deployment("stable", 90, chain), new Deployment("canary", 10, chain));
        TimeWindow unknown = new TimeWindow("w", Set.of(), 0, 3600, Optional.empty(), Optional.empty(), Map.of("nope", 1));
        assertThatThrownBy(() -> new RouteSpec("r", split, Optional.empty(), Optional.empty(), null, List.of(unknown)))
                .hasMessageContaining("not a deployment");
        TimeWindow none = new TimeWindow("w", Set.of(), 0, 3600, Optional.empty(), Optional.empty(), Map.of("stable", 0, "canary", 0));
        assertThatThrownBy(() -> new RouteSpec("r", split, Optional.empty(), Optional.empty(), null, List.of(none)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
