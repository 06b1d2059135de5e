package io.sluice.engine.ledger;

import io.sluice.domain.usage.SpendFilter;
import io.sluice.domain.usage.UsageQuery;
import io.sluice.domain.usage.UsageTotal;
import io.sluice.ports.out.UsageLedger;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** A ledger that changes how bills are written and reads straight from the ledger it wraps. Thread-safe if that one is. */
abstract class LedgerWriteDecorator implements UsageLedger {
    protected final UsageLedger delegate;

    LedgerWriteDecorator(UsageLedger delegate) {
        this.delegate = delegate;
    }

    @Override
    public final CompletionStage<List<UsageTotal>> totals(UsageQuery query) {
        return delegate.totals(query);
    }

    @Override
    public final CompletionStage<BigDecimal> spent(SpendFilter filter) {
        return delegate.spent(filter);
    }

    @Override
    public final CompletionStage<Map<String, BigDecimal>> billed(Collection<String> requestIds) {
        return delegate.billed(requestIds);
    }
}
