package io.sluice.domain.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.domain.error.InvalidRequestException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PriorityTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void callsQueuedTogetherStandInLaneOrderAndALongWaitRaisesALowCall() {
        long t0 = 1_000 * SECOND;
        long now = t0 + 5 * SECOND;
        assertThat(Priority.HIGH.standing(t0, now)).isGreaterThan(Priority.NORMAL.standing(t0, now));
        assertThat(Priority.NORMAL.standing(t0, now)).isGreaterThan(Priority.LOW.standing(t0, now));
        // a low call that has waited more than two agings longer than a fresh high one is served before it: never starved
        long later = t0 + Priority.AGING.multipliedBy(2).toNanos() + SECOND;
        assertThat(Priority.LOW.standing(t0, later)).isGreaterThan(Priority.HIGH.standing(later, later));
        assertThat(Priority.LOW.standing(t0, t0 + SECOND)).isLessThan(Priority.HIGH.standing(t0 + SECOND, t0 + SECOND));
    }

    @Test
    void aLaneIsReadByNameAndAnythingElseIsTheCallersError() {
        assertThat(Priority.parse(" High ", "p")).isEqualTo(Priority.HIGH);
        assertThatThrownBy(() -> Priority.parse("urgent!!", "X-Sluice-Priority")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("high, normal or low");
    }
}
