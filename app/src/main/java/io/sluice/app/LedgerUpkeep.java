package io.sluice.app;

import io.sluice.engine.background.Periodic;
import io.sluice.ports.out.LedgerMaintenance;
import java.time.Clock;
import java.time.Duration;

/** Runs the ledger's upkeep in the background, stopped with the gateway: its rollups every 2 s, its months hourly and at start. */
final class LedgerUpkeep {
    private static final System.Logger LOG = System.getLogger(LedgerUpkeep.class.getName());
    static final Duration ROLL_UP = Duration.ofSeconds(2);
    static final Duration MAINTAIN = Duration.ofHours(1);

    private LedgerUpkeep() {}

    static void start(LedgerMaintenance ledger, Clock clock, Resources resources) {
        ledger.maintain(clock.instant()).whenComplete((done, error) -> {
            // a database away at start is no reason to stop: the hourly run tries again, with months prepared ahead
            if (error != null) LOG.log(System.Logger.Level.WARNING, "ledger maintenance at start failed: "
                    + io.sluice.domain.error.Failures.describe(error) + "; tried again hourly");
            else if (!done.isEmpty()) LOG.log(System.Logger.Level.INFO, done);
        });
        resources.add(Periodic.every("ledger-rollup", ROLL_UP, ledger::rollUp), Runnable::run);
        resources.add(Periodic.every("ledger-maintenance", MAINTAIN, () -> ledger.maintain(clock.instant()).thenAccept(done -> {
            if (!done.isEmpty()) LOG.log(System.Logger.Level.INFO, done);
        })), Runnable::run);
    }
}
