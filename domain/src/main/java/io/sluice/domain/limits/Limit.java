package io.sluice.domain.limits;

import io.sluice.domain.Require;

/**
 * One rate limit a call counts against: a scope ({@code key:acme}, {@code user:acme/alice}, {@code model:gpt-4o})
 * and a number of requests or tokens per minute. Immutable.
 */
public record Limit(String scope, Kind kind, long perMinute) {
    public enum Kind {
        REQUESTS, TOKENS;

        /** The suffix of OpenAI's {@code x-ratelimit-*-requests} and {@code -tokens} headers. */
        public String header() {
            return this == REQUESTS ? "requests" : "tokens";
        }
    }

    public Limit {
        Require.nonBlank(scope, "scope");
        Require.nonNull(kind, "kind");
        if (perMinute < 1) throw new IllegalArgumentException("a limit needs at least 1 per minute, was " + perMinute);
    }

    /** The counter's name, the same in every replica. */
    public String counter() {
        return scope + ":" + kind.header();
    }
}
