package io.sluice.redis;

import io.sluice.ports.out.LimitCounters;
import io.sluice.testkit.contract.LimitCountersContract;

/** The limit counters contract on a real Redis. */
class RedisLimitCountersTest extends LimitCountersContract {
    @Override
    protected LimitCounters counters() {
        return new RedisLimitCounters(TestRedis.link());
    }
}
