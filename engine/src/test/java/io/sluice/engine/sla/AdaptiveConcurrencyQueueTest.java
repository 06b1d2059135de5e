package io.sluice.engine.sla;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.error.GatewayBusyException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Calls over the limit wait in a bounded queue, in order; one more than the queue holds is refused at once. */
class AdaptiveConcurrencyQueueTest {
    @Test
    void waitersGetFreedPermitsInOrderAndAFullQueueRefusesAtOnce() {
        AdaptiveConcurrency limit = new AdaptiveConcurrency("e", 1, 1, 2);
        AdaptiveConcurrency.Permit first = limit.acquire().toCompletableFuture().join();
        CompletableFuture<AdaptiveConcurrency.Permit> second = limit.acquire().toCompletableFuture();
        CompletableFuture<AdaptiveConcurrency.Permit> third = limit.acquire().toCompletableFuture();
        CompletableFuture<AdaptiveConcurrency.Permit> fourth = limit.acquire().toCompletableFuture();

        assertThat(second).isNotDone();
        assertThat(third).isNotDone();
        assertThat(fourth).failsWithin(java.time.Duration.ZERO).withThrowableThat().withCauseInstanceOf(GatewayBusyException.class);
        assertThat(limit.queued()).isEqualTo(2);

        second.cancel(false); // gave up waiting (its deadline)
        first.end(AdaptiveConcurrency.Outcome.SUCCESS);
        assertThat(third).as("the cancelled waiter is skipped").isDone();
        assertThat(limit.queued()).isZero();
        third.join().end(AdaptiveConcurrency.Outcome.IGNORED);
        assertThat(limit.inFlight()).isZero();
    }

    @Test
    void freedPermitsGoToHigherLanesFirstAndInOrderWithinALane() {
        AdaptiveConcurrency limit = new AdaptiveConcurrency("e", 1, 1, 10);
        AdaptiveConcurrency.Permit held = limit.acquire().toCompletableFuture().join();
        var low = limit.acquire(io.sluice.domain.limits.Priority.LOW).toCompletableFuture();
        var normal = limit.acquire(io.sluice.domain.limits.Priority.NORMAL).toCompletableFuture();
        var high = limit.acquire(io.sluice.domain.limits.Priority.HIGH).toCompletableFuture();
        var secondHigh = limit.acquire(io.sluice.domain.limits.Priority.HIGH).toCompletableFuture();

        held.end(AdaptiveConcurrency.Outcome.SUCCESS);
        assertThat(high).isDone();
        assertThat(secondHigh).isNotDone();
        high.join().end(AdaptiveConcurrency.Outcome.SUCCESS);
        assertThat(secondHigh).as("the high call that waited longer went first").isDone();
        secondHigh.join().end(AdaptiveConcurrency.Outcome.SUCCESS);
        assertThat(normal).isDone();
        assertThat(low).isNotDone();
        normal.join().end(AdaptiveConcurrency.Outcome.SUCCESS);
        assertThat(low).isDone();
    }
}
