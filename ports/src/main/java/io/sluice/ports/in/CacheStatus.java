package io.sluice.ports.in;

/** How the response cache took part in a call ({@code X-Sluice-Cache}). */
public enum CacheStatus {
    /** Answered from the cache, or by an identical call in flight at the same time: nothing went upstream for it. */
    HIT,
    /** Looked up and not found: the upstream answered, and the answer may now be kept. */
    MISS,
    /** Not looked up: the cache is off, the call is not cacheable (sampled, several choices, ...) or the client said so. */
    BYPASS;

    /** The header's value: {@code hit}, {@code miss} or {@code bypass}. */
    public String header() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
