package io.sluice.ports.in;

import io.sluice.domain.Require;

/**
 * Who makes a call: {@code owner} is the tenant (the gateway API key's owner) whose data the call may touch;
 * {@code user} is the application's end user from the request's {@code user} field, and may be null.
 */
public record Caller(String owner, String user) {
    /** The owner of every call until gateway API keys exist: the single tenant of an unauthenticated gateway. */
    public static final String DEFAULT_OWNER = "default";

    public Caller {
        Require.nonBlank(owner, "owner");
    }
}
