package io.sluice.app.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.sluice.ports.out.TraceHeaders;
import io.sluice.ports.out.CallTracer;
import io.sluice.ports.out.TraceSpan;
import java.util.List;

/**
 * Each call a server span of OpenTelemetry, a child of the caller's {@code traceparent} when it sent a valid one (a
 * malformed one is ignored, and the call starts a trace of its own, as the W3C spec asks). Thread-safe.
 */
public final class OtelCallTracer implements CallTracer {
    private static final TextMapGetter<TraceHeaders> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(TraceHeaders carrier) {
            return List.of("traceparent", "tracestate");
        }

        @Override
        public String get(TraceHeaders carrier, String key) {
            if (carrier == null) return null;
            return switch (key) {
                case "traceparent" -> carrier.traceparent();
                case "tracestate" -> carrier.tracestate();
                default -> null;
            };
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    public OtelCallTracer(OpenTelemetry otel) {
        this.tracer = otel.getTracer("io.sluice", "0.1.0");
        this.propagator = otel.getPropagators().getTextMapPropagator();
    }

    @Override
    public TraceSpan start(String name, TraceHeaders parent) {
        Context context = parent.traceparent() == null ? Context.root() : propagator.extract(Context.root(), parent, HEADERS);
        return new OtelSpan(tracer, tracer.spanBuilder(name).setParent(context).setSpanKind(SpanKind.SERVER).startSpan());
    }
}
