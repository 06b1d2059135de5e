package io.sluice.engine.limits;

import io.sluice.ports.out.LimitCounters;
import io.sluice.testkit.contract.LimitCountersContract;

class LocalLimitCountersTest extends LimitCountersContract {
    private final LocalLimitCounters counters = new LocalLimitCounters();

    @Override
    protected LimitCounters counters() {
        return counters;
    }
}
