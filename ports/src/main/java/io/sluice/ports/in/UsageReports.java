package io.sluice.ports.in;

import io.sluice.domain.usage.UsageQuery;
import io.sluice.domain.usage.UsageTotal;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Usage and cost totals from the ledger: a caller's own ({@code /v1/usage}), or everyone's for operators. Thread-safe. */
public interface UsageReports {
    CompletionStage<List<UsageTotal>> totals(UsageQuery query);
}
