package io.sluice.domain.error;

/** The admin API named an upstream endpoint (a configured provider) the gateway does not have. */
public class EndpointNotFoundException extends NonRetriableException {
    public EndpointNotFoundException(String endpoint) {
        super("No upstream endpoint '" + (endpoint.length() > 64 ? endpoint.substring(0, 64) : endpoint) + "'", null);
    }

    @Override
    public String code() {
        return "endpoint_not_found";
    }
}
