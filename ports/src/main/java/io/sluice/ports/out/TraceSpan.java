package io.sluice.ports.out;

import java.util.List;

/**
 * One span of a call's trace: the call, a stage of it (its context, its storage) or one upstream attempt. The app
 * backs it with OpenTelemetry and names attributes by its GenAI semantic conventions; {@link #NONE} records nothing.
 * A span is ended once; attributes set after its end are dropped. Thread-safe.
 */
public interface TraceSpan {
    /** What a span stands for: work inside the gateway, or a request to an upstream. */
    enum Kind { INTERNAL, CLIENT }

    /** A span under this one, started now. */
    TraceSpan child(String name, Kind kind);

    /** Sets a string attribute; a null value is not set. Returns this span. */
    TraceSpan attribute(String key, String value);

    TraceSpan attribute(String key, long value);

    TraceSpan attribute(String key, boolean value);

    TraceSpan attribute(String key, List<String> values);

    /** Something that happened at a moment within the span (a stream's first chunk). */
    void event(String name);

    /** The span's work failed, in the way {@code errorType} names ({@code error.type}). */
    void failed(String errorType);

    void end();

    /** The trace's id (32 hex digits), or null when nothing is traced. */
    String traceId();

    /**
     * Makes this the thread's current span until the scope closes: a request to an upstream made on this thread meanwhile
     * carries it as its {@code traceparent}.
     */
    Scope current();

    /** A span made current; closing it restores the thread's span before. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    TraceSpan NONE = new TraceSpan() {
        @Override
        public TraceSpan child(String name, Kind kind) {
            return this;
        }

        @Override
        public TraceSpan attribute(String key, String value) {
            return this;
        }

        @Override
        public TraceSpan attribute(String key, long value) {
            return this;
        }

        @Override
        public TraceSpan attribute(String key, boolean value) {
            return this;
        }

        @Override
        public TraceSpan attribute(String key, List<String> values) {
            return this;
        }

        @Override
        public void event(String name) {}

        @Override
        public void failed(String errorType) {}

        @Override
        public void end() {}

        @Override
        public String traceId() {
            return null;
        }

        @Override
        public Scope current() {
            return () -> { };
        }
    };
}
