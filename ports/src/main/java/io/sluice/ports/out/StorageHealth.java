package io.sluice.ports.out;

/**
 * Whether the gateway's database is reachable, as its adapter last saw it: known without asking it, so that a call can
 * be refused at once while it is not (a call that cannot be billed is never admitted). Thread-safe.
 */
public interface StorageHealth {
    /** A store that is always there (in-memory stores, tests). */
    StorageHealth ALWAYS = () -> true;

    boolean available();
}
