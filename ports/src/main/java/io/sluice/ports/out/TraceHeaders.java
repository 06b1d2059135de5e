package io.sluice.ports.out;

/**
 * The W3C trace context a caller sent ({@code traceparent}, {@code tracestate}), for the call's trace to join the
 * caller's; either may be null. A value longer than the W3C limits is dropped here (the call starts a trace of its
 * own), so that no hostile header travels further; a malformed one is dropped by the tracer, as the W3C spec says.
 * Immutable.
 */
public record TraceHeaders(String traceparent, String tracestate) {
    /** The length of a version-00 {@code traceparent}; later versions may only append, and are read as version 00. */
    public static final int MAX_TRACEPARENT = 128;
    /** W3C: 32 list members of at most 256 characters; vendors are asked to keep it under 512. */
    public static final int MAX_TRACESTATE = 8192;
    public static final TraceHeaders NONE = new TraceHeaders(null, null);

    public TraceHeaders {
        if (traceparent != null && (traceparent.isBlank() || traceparent.length() > MAX_TRACEPARENT)) traceparent = null;
        if (tracestate != null && (tracestate.isBlank() || tracestate.length() > MAX_TRACESTATE || traceparent == null)) tracestate = null;
    }
}
