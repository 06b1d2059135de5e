package io.sluice.ports.out;


/** Starts the span of each call, in the caller's trace when it sent one. Implementations are thread-safe and fast. */
public interface CallTracer {
    /** A call's span, started now: a child of {@code parent} when that names a trace, else the root of a new one. */
    TraceSpan start(String name, TraceHeaders parent);

    CallTracer NONE = (name, parent) -> TraceSpan.NONE;
}
