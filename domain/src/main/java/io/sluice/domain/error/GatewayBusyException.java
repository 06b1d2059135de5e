package io.sluice.domain.error;

/** Too many calls are already waiting for an upstream's concurrency limit: a clear 503, at once, rather than a long wait. */
public class GatewayBusyException extends RetriableException {
    public GatewayBusyException(String endpoint, int queued) {
        super("The gateway is busy: " + queued + " calls are already waiting for upstream '" + endpoint + "'. Please retry shortly.",
                java.time.Duration.ofSeconds(1), null);
    }

    @Override
    public String code() {
        return "gateway_busy";
    }
}
