package io.sluice.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TimeoutSchedulerTest {

    @Test
    void aFutureNotCompletedInTimeFailsWithATimeout() {
        CompletableFuture<String> never = TimeoutScheduler.within(new CompletableFuture<>(), 20);

        assertThatThrownBy(() -> never.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TimeoutException.class);
    }

    @Test
    void aFutureCompletedInTimeKeepsItsValueAndTakesItsTimeoutOutOfTheQueue() throws Exception {
        int before = TimeoutScheduler.pending();
        CompletableFuture<String> answer = TimeoutScheduler.within(new CompletableFuture<>(), 60_000);
        assertThat(TimeoutScheduler.pending()).isEqualTo(before + 1);

        answer.complete("ok");

        assertThat(answer.get()).isEqualTo("ok");
        assertThat(TimeoutScheduler.pending()).isEqualTo(before); // not left to expire a minute later
    }

    @Test
    void aFutureAlreadyCompleteSetsNoTimeout() {
        int before = TimeoutScheduler.pending();

        TimeoutScheduler.within(CompletableFuture.completedFuture("done"), 60_000);

        assertThat(TimeoutScheduler.pending()).isEqualTo(before);
    }

    @Test
    void aDelayedTaskRunsOffTheTimerThreadAfterItsDelay() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        AtomicReference<String> thread = new AtomicReference<>();
        long start = System.nanoTime();

        TimeoutScheduler.later(Duration.ofMillis(50), () -> {
            thread.set(Thread.currentThread().getName());
            ran.countDown();
        });

        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(thread.get()).isNotEqualTo("sluice-timeouts"); // a slow task must not hold up other calls' timeouts
    }

    @Test
    void aTaskWithoutDelayRunsAtOnceOnTheCallersThread() {
        AtomicReference<Thread> thread = new AtomicReference<>();

        TimeoutScheduler.later(Duration.ZERO, () -> thread.set(Thread.currentThread()));

        assertThat(thread.get()).isSameAs(Thread.currentThread());
    }
}
