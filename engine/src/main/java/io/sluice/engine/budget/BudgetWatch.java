package io.sluice.engine.budget;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sluice.domain.budget.BudgetCheck;
import io.sluice.domain.budget.BudgetThreshold;
import io.sluice.engine.internal.TimeoutScheduler;
import io.sluice.ports.out.BudgetAlerts;
import io.sluice.ports.out.BudgetStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a budget's counter after calls settle on it and reports how far it is spent, and each threshold it crosses once;
 * a budget that refuses a call for want of room once past its highest threshold under 100% has crossed 100%.
 * A counter is read at most once per {@code interval}: a settle within it is read at its end (so the last calls before a
 * quiet spell are seen too), not dropped. A read that fails is skipped: the next settle reads again. Thread-safe.
 */
public final class BudgetWatch {
    private static final System.Logger LOG = System.getLogger(BudgetWatch.class.getName());
    /** 80% and 100% of each cap. */
    public static final List<Integer> DEFAULT_THRESHOLDS = List.of(80, 100);
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    private final BudgetStore store;
    private final BudgetAlerts alerts;
    private final List<Integer> thresholds;
    private final Duration interval;
    private final Clock clock;
    /** Per counter: whether a read is under way or waiting out its interval, and whether calls settled since it began. */
    private final Cache<String, State> states = Caffeine.newBuilder().expireAfterAccess(Duration.ofHours(1)).maximumSize(100_000).build();

    private record State(AtomicBoolean busy, AtomicBoolean dirty) {
        State() {
            this(new AtomicBoolean(), new AtomicBoolean());
        }
    }

    /** The crossings reported: a counter's name holds its window, so a new day's counter is reported again. */
    private final Cache<String, Boolean> reported = Caffeine.newBuilder().expireAfterWrite(Duration.ofDays(32)).maximumSize(100_000).build();

    public BudgetWatch(BudgetStore store, BudgetAlerts alerts, List<Integer> thresholds, Duration interval, Clock clock) {
        this.store = store;
        this.alerts = alerts;
        this.thresholds = thresholds.stream().sorted().toList();
        this.interval = interval;
        this.clock = clock;
        if (this.thresholds.stream().anyMatch(t -> t <= 0)) throw new IllegalArgumentException("thresholds must be positive percentages, were " + thresholds);
    }

    /** Calls settled on these counters: each is read now, or at the end of its interval if it was read within it. */
    void settled(List<BudgetCheck> checks) {
        for (BudgetCheck check : checks) {
            State state = states.get(check.counter(), c -> new State());
            state.dirty.set(true);
            if (state.busy.compareAndSet(false, true)) read(check, state);
        }
    }

    /**
     * A call was refused for want of room in {@code check}. Reservations of a call's worst case stop short of the cap
     * itself, so a budget refusing calls while already past its highest threshold under 100% (80% by default) is spent
     * as far as calls go: every threshold up to 100% is reported as reached. A refusal of one large call in a budget
     * still mostly free is only counted ({@link BudgetAlerts#refused}), not reported as spent.
     */
    void refused(BudgetCheck check) {
        safely(() -> alerts.refused(check));
        // a budget refusing calls refuses many: once all is reported, no read each time
        if (thresholds.stream().filter(p -> p <= 100).allMatch(p -> reported.getIfPresent(check.counter() + "@" + p) != null)) return;
        read(check).thenAccept(spent -> {
            int nearly = thresholds.stream().filter(p -> p < 100).max(Integer::compare).orElse(100);
            boolean spentAsFarAsCallsGo = reached(check, spent, nearly);
            safely(() -> report(check, spent, spentAsFarAsCallsGo));
        });
    }

    private void read(BudgetCheck check, State state) {
        state.dirty.set(false);
        read(check).whenComplete((spent, error) -> {
            if (spent != null) safely(() -> report(check, spent, false));
            // always: a counter whose read or report failed is read again at the next settle, never left busy
            TimeoutScheduler.later(interval, () -> {
                if (state.dirty.get()) {
                    read(check, state); // calls settled meanwhile: read again, still no sooner than an interval apart
                    return;
                }
                state.busy.set(false);
                // a settle between the look at dirty and now found the read busy, and left it to this one
                if (state.dirty.get() && state.busy.compareAndSet(false, true)) read(check, state);
            });
        });
    }

    /** The counter's spend, or null when it could not be read (a read that throws at once included). */
    private CompletionStage<BigDecimal> read(BudgetCheck check) {
        try {
            return store.spent(check.counter()).exceptionally(error -> null);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(null);
        }
    }

    private static void safely(Runnable report) {
        try {
            report.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "budget report failed: " + io.sluice.domain.error.Failures.describe(e));
        }
    }

    private static boolean reached(BudgetCheck check, BigDecimal spent, int percent) {
        return spent.multiply(BigDecimal.valueOf(100)).compareTo(check.limitUsd().multiply(BigDecimal.valueOf(percent))) >= 0;
    }

    private void report(BudgetCheck check, BigDecimal spent, boolean refusing) {
        alerts.spent(check, spent);
        if (check.limitUsd().signum() <= 0) return;
        for (int percent : thresholds) {
            boolean reached = refusing && percent <= 100 || reached(check, spent, percent);
            if (reached && reported.asMap().putIfAbsent(check.counter() + "@" + percent, Boolean.TRUE) == null) {
                BudgetThreshold crossing = new BudgetThreshold(check, percent, spent, clock.instant());
                safely(() -> alerts.crossed(crossing));
            }
        }
    }
}
