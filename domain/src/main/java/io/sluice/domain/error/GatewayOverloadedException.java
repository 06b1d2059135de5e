package io.sluice.domain.error;

import java.time.Duration;

/** The gateway itself has more work than it takes now: refused at once, to be tried again shortly. */
public class GatewayOverloadedException extends RetriableException {
    public GatewayOverloadedException(String message) {
        super(message, Duration.ofSeconds(1), null);
    }

    @Override
    public String code() {
        return "gateway_overloaded";
    }
}
