package io.sluice.ports.out;

/**
 * What an upstream said, in its last answer on a key, is left of that key's limits: requests and tokens remaining
 * (-1 when it did not say) and when each is replenished ({@link System#nanoTime()} deadlines). Read from OpenAI's
 * {@code x-ratelimit-remaining-*} and {@code x-ratelimit-reset-*} headers, Anthropic's
 * {@code anthropic-ratelimit-*}. The gateway rests a key the upstream says is spent until its reset, instead of
 * sending it a request that would get a 429. Immutable.
 */
public record UpstreamQuota(long remainingRequests, long remainingTokens, long requestsResetAt, long tokensResetAt) {
    public static final UpstreamQuota UNKNOWN = new UpstreamQuota(-1, -1, 0, 0);

    public boolean known() {
        return remainingRequests >= 0 || remainingTokens >= 0;
    }

    /**
     * When a request of {@code tokens} (0 when not estimated) may be sent on the key, by what the upstream said:
     * {@code now} unless it has no request left, or fewer tokens than the request (none, when not estimated), before
     * the reset it named.
     */
    public long readyAt(long now, long tokens) {
        long ready = now;
        if (remainingRequests == 0 && requestsResetAt - now > 0) ready = requestsResetAt;
        if (remainingTokens >= 0 && remainingTokens < Math.max(1, tokens) && tokensResetAt - now > 0) ready = Math.max(ready, tokensResetAt);
        return ready;
    }
}
