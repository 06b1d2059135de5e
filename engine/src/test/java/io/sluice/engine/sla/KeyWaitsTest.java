package io.sluice.engine.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.limits.Priority;
import io.sluice.domain.sla.CircuitSettings;
import io.sluice.domain.sla.SlaTier;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The order in which calls waiting for an upstream key get one, when keys free while a round is under way. */
class KeyWaitsTest {
    /** The keys are never used: the test's slots stand for them. */
    private static final Endpoint ENDPOINT = new Endpoint("e", 1, List.of(new UpstreamKey("k", null, 0)));
    private static final Endpoint OTHER = new Endpoint("other", 1, List.of(new UpstreamKey("k", null, 0)));

    private final KeyWaits waits = new KeyWaits();
    private final AtomicInteger freeSlots = new AtomicInteger();
    private final List<String> served = new CopyOnWriteArrayList<>();

    private static CallAttempts call(Priority priority, Endpoint endpoint) {
        CallAttempts call = new CallAttempts(new Circuits(CircuitSettings.DEFAULTS),
                List.of(new ResilientCaller.Candidate("m", List.of(endpoint), new ChatRequest("m", List.of(ChatMessage.user("hi")), null))),
                SlaTier.FAST, () -> 0, false);
        call.priority = priority;
        return call;
    }

    /** What the caller does on each try: wait behind others, else take a free slot, else wait again; {@code after} runs when it waits again. */
    private void attempt(CallAttempts call, String name, Runnable after) {
        long now = System.nanoTime();
        if (!waits.behindOthers(call, now) && take()) {
            served.add(name);
            return;
        }
        waits.park(call, () -> attempt(call, name, () -> {}), now, now);
        after.run();
    }

    private boolean take() {
        return freeSlots.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    @Test
    void aKeyFreedWhileARoundRetriesItsWaitersGoesToTheHighOnesNotToALowOneRetriedAfterThem() {
        CallAttempts high1 = call(Priority.HIGH, ENDPOINT);
        CallAttempts high2 = call(Priority.HIGH, ENDPOINT);
        CallAttempts low = call(Priority.LOW, ENDPOINT);
        long now = System.nanoTime();
        // one round retries all three, highest first; the second high one parks again, then the key's window frees a
        // slot, just before the low one's retry
        waits.park(high1, () -> attempt(high1, "high-1", () -> {}), now, now);
        waits.park(high2, () -> attempt(high2, "high-2", freeSlots::incrementAndGet), now, now);
        waits.park(low, () -> attempt(low, "low", () -> {}), now, now);

        await().atMost(Duration.ofSeconds(5)).until(() -> served.size() == 1);
        assertThat(served).as("the freed slot went to a high call").containsExactly("high-1");
        freeSlots.addAndGet(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> served.size() == 3);
        assertThat(served).containsExactly("high-1", "high-2", "low");
    }

    @Test
    void aWaitingLowCallIsNotHeldBackByAHighOneOnAnotherEndpointNorByOneItHasWaitedALaneLongerThan() {
        CallAttempts high = call(Priority.HIGH, ENDPOINT);
        CallAttempts elsewhere = call(Priority.LOW, OTHER);
        CallAttempts aged = call(Priority.LOW, ENDPOINT);
        long now = System.nanoTime();
        waits.park(high, () -> {}, now + Duration.ofMinutes(1).toNanos(), now);
        elsewhere.queuedAt = now;
        aged.queuedAt = now - Duration.ofSeconds(25).toNanos(); // 2.5 lanes of waiting: above a high call just come

        assertThat(waits.behindOthers(elsewhere, now)).isFalse();
        assertThat(waits.behindOthers(aged, now)).isFalse();
        CallAttempts fresh = call(Priority.LOW, ENDPOINT);
        fresh.queuedAt = now;
        assertThat(waits.behindOthers(fresh, now)).as("a waiting low call stays behind a waiting high one").isTrue();
        assertThat(waits.behindOthers(call(Priority.LOW, ENDPOINT), now)).as("as does a new one").isTrue();

        high.abandon(false); // its client hung up while it waited
        assertThat(waits.behindOthers(fresh, now)).as("a call called off holds no one back").isFalse();
    }

    @Test
    void aNewLowCallArrivingWhileARoundRetriesTheHighOnesStaysBehindThem() {
        CallAttempts high1 = call(Priority.HIGH, ENDPOINT);
        CallAttempts high2 = call(Priority.HIGH, ENDPOINT);
        List<Boolean> newLowHeld = new CopyOnWriteArrayList<>();
        long now = System.nanoTime();
        // the first high one's retry runs while the second waits its turn in the same round, out of the waiting list
        waits.park(high1, () -> {
            newLowHeld.add(waits.behindOthers(call(Priority.LOW, ENDPOINT), System.nanoTime()));
            served.add("high-1");
        }, now, now);
        waits.park(high2, () -> served.add("high-2"), now, now);

        await().atMost(Duration.ofSeconds(5)).until(() -> served.size() == 2);
        assertThat(newLowHeld).containsExactly(true);
        assertThat(waits.behindOthers(call(Priority.LOW, ENDPOINT), System.nanoTime())).as("once the round is over, no one holds it").isFalse();
    }
}
