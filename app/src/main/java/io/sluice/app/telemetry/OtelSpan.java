package io.sluice.app.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.sluice.ports.out.TraceSpan;
import java.util.List;

/** A {@link TraceSpan} that is an OpenTelemetry span. Thread-safe, as OpenTelemetry's spans are. */
final class OtelSpan implements TraceSpan {
    private final Tracer tracer;
    private final Span span;

    OtelSpan(Tracer tracer, Span span) {
        this.tracer = tracer;
        this.span = span;
    }

    @Override
    public TraceSpan child(String name, Kind kind) {
        Span child = tracer.spanBuilder(name).setParent(Context.root().with(span))
                .setSpanKind(kind == Kind.CLIENT ? SpanKind.CLIENT : SpanKind.INTERNAL).startSpan();
        return new OtelSpan(tracer, child);
    }

    @Override
    public TraceSpan attribute(String key, String value) {
        if (value != null) span.setAttribute(key, value);
        return this;
    }

    @Override
    public TraceSpan attribute(String key, long value) {
        span.setAttribute(key, value);
        return this;
    }

    @Override
    public TraceSpan attribute(String key, boolean value) {
        span.setAttribute(key, value);
        return this;
    }

    @Override
    public TraceSpan attribute(String key, List<String> values) {
        if (values != null) span.setAttribute(AttributeKey.stringArrayKey(key), values);
        return this;
    }

    @Override
    public void event(String name) {
        span.addEvent(name);
    }

    @Override
    public void failed(String errorType) {
        span.setAttribute("error.type", errorType);
        span.setStatus(StatusCode.ERROR);
    }

    @Override
    public void end() {
        span.end();
    }

    @Override
    public String traceId() {
        return span.getSpanContext().isValid() ? span.getSpanContext().getTraceId() : null;
    }

    @Override
    public Scope current() {
        io.opentelemetry.context.Scope scope = span.makeCurrent();
        return scope::close;
    }
}
