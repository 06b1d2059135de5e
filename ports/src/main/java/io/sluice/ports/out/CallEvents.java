package io.sluice.ports.out;

/** What the engine reports about the end of each call, for metrics. Implementations are thread-safe and fast. */
public interface CallEvents {
    /** A call ended; {@code outcome} is {@code completed}, {@code cut}, {@code cancelled}, {@code failed} or {@code refused}. */
    void ended(String outcome);

    /** The response cache's part in a call that got past its context: {@code hit}, {@code miss} or {@code bypass}. */
    default void cache(String status) {}

    /** A bill could not be written to the ledger (it was logged with its request id, owner, model and cost). */
    void billUnwritten();

    /**
     * A group commit ended: {@code what} ({@code turns}, {@code bills}) was written, {@code items} of them in one
     * transaction, committed {@code nanos} after the write began.
     */
    default void committed(String what, int items, long nanos) {}

    CallEvents NONE = new CallEvents() {
        @Override
        public void ended(String outcome) {}

        @Override
        public void billUnwritten() {}
    };
}
