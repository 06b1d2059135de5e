package io.sluice.http.upstream;

import io.sluice.ports.out.UpstreamQuota;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.Instant;

/**
 * Reads an upstream answer's rate-limit headers: OpenAI's {@code x-ratelimit-remaining-requests} and {@code -tokens}
 * with {@code x-ratelimit-reset-*} as durations ({@code 1s}, {@code 6m0s}), or Anthropic's
 * {@code anthropic-ratelimit-requests-remaining} and {@code -tokens-remaining} with {@code -reset} as RFC 3339 times.
 * A header that is missing or malformed counts as not said.
 */
final class UpstreamQuotas {
    /** A reset further off than this is taken as this: no key rests longer on a header's word. */
    static final Duration MAX_RESET = Duration.ofMinutes(1);

    private UpstreamQuotas() {}

    static UpstreamQuota read(MultiMap headers, long nowNanos, Instant now) {
        long requests = count(headers, "x-ratelimit-remaining-requests", "anthropic-ratelimit-requests-remaining");
        long tokens = count(headers, "x-ratelimit-remaining-tokens", "anthropic-ratelimit-tokens-remaining");
        if (requests < 0 && tokens < 0) return UpstreamQuota.UNKNOWN;
        return new UpstreamQuota(requests, tokens,
                nowNanos + reset(headers, "x-ratelimit-reset-requests", "anthropic-ratelimit-requests-reset", now).toNanos(),
                nowNanos + reset(headers, "x-ratelimit-reset-tokens", "anthropic-ratelimit-tokens-reset", now).toNanos());
    }

    private static long count(MultiMap headers, String openAi, String anthropic) {
        String value = headers.get(openAi);
        if (value == null) value = headers.get(anthropic);
        if (value == null || value.length() > 20) return -1;
        try {
            return Math.max(0, Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** How long until the limit is replenished; zero when not said. */
    private static Duration reset(MultiMap headers, String openAi, String anthropic, Instant now) {
        Duration d = null;
        try {
            String go = headers.get(openAi);
            String at = headers.get(anthropic);
            if (go != null && go.length() <= 40) d = UpstreamErrors.goDuration(go.strip());
            else if (at != null && at.length() <= 40) d = Duration.between(now, Instant.parse(at.strip()));
        } catch (RuntimeException malformed) {
            return Duration.ZERO;
        }
        if (d == null || d.isNegative()) return Duration.ZERO;
        return d.compareTo(MAX_RESET) > 0 ? MAX_RESET : d;
    }
}
