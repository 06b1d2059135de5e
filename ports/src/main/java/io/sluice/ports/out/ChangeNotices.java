package io.sluice.ports.out;

/**
 * Tells the other replicas that a runtime change was stored ({@code route-weights}, {@code upstream-keys}), so that
 * they read it at once instead of at their next poll. Best effort: a notice lost is made up by the polling. Thread-safe.
 */
public interface ChangeNotices {
    String ROUTE_WEIGHTS = "route-weights";
    String UPSTREAM_KEYS = "upstream-keys";

    void announce(String what);

    ChangeNotices NONE = what -> { };
}
