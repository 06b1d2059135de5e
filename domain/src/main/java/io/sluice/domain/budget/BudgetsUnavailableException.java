package io.sluice.domain.budget;

import io.sluice.domain.error.RetriableException;
import java.time.Duration;

/**
 * The call counts against a budget whose counters cannot be read (their shared store is down), and budgets fail
 * closed: it is refused before it goes upstream, since it could not be kept within its cap.
 */
public class BudgetsUnavailableException extends RetriableException {
    public BudgetsUnavailableException(Throwable cause) {
        super("This call counts against a budget that cannot be checked now: its counters' store (Redis) is unreachable", Duration.ofSeconds(1),
                cause);
    }

    @Override
    public String code() {
        return "budgets_unavailable";
    }
}
