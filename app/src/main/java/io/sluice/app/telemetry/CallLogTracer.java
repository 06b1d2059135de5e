package io.sluice.app.telemetry;

import io.sluice.ports.out.TraceHeaders;
import io.sluice.ports.out.CallTracer;
import io.sluice.ports.out.TraceSpan;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One log record per call as it ends ({@code sluice.log.calls}), made of what its span recorded: the record's MDC holds
 * the request id, trace id, owner and model, and its key-values the outcome, the model that answered, the tokens, the
 * cost and the latency. Nothing the caller wrote (no message text) is in it. Thread-safe.
 */
public final class CallLogTracer implements CallTracer {
    private static final Logger LOG = LoggerFactory.getLogger("io.sluice.calls");
    /** The call span's attributes the record keeps, by their name in the record. */
    private static final Map<String, String> KEPT = Map.of("sluice.request_id", "request_id", "sluice.owner", "owner",
            "gen_ai.request.model", "model", "sluice.outcome", "outcome", "error.type", "error_type", "gen_ai.response.model", "response_model",
            "gen_ai.usage.input_tokens", "input_tokens", "gen_ai.usage.output_tokens", "output_tokens", "sluice.cost_usd", "cost_usd",
            "sluice.route", "route");
    private static final List<String> IN_MDC = List.of("request_id", "owner", "model");

    private final CallTracer delegate;

    public CallLogTracer(CallTracer delegate) {
        this.delegate = delegate;
    }

    @Override
    public TraceSpan start(String name, TraceHeaders parent) {
        return new Recorded(delegate.start(name, parent), System.nanoTime());
    }

    private static final class Recorded implements TraceSpan {
        private final TraceSpan span;
        private final long startNanos;
        private final Map<String, String> fields = new ConcurrentHashMap<>();

        Recorded(TraceSpan span, long startNanos) {
            this.span = span;
            this.startNanos = startNanos;
        }

        private TraceSpan keep(String key, Object value) {
            String field = KEPT.get(key);
            if (field != null && value != null) fields.put(field, value.toString());
            return this;
        }

        @Override
        public TraceSpan child(String name, Kind kind) {
            return span.child(name, kind);
        }

        @Override
        public TraceSpan attribute(String key, String value) {
            span.attribute(key, value);
            return keep(key, value);
        }

        @Override
        public TraceSpan attribute(String key, long value) {
            span.attribute(key, value);
            return keep(key, value);
        }

        @Override
        public TraceSpan attribute(String key, boolean value) {
            span.attribute(key, value);
            return keep(key, value);
        }

        @Override
        public TraceSpan attribute(String key, List<String> values) {
            span.attribute(key, values);
            return this;
        }

        @Override
        public void event(String name) {
            span.event(name);
        }

        @Override
        public void failed(String errorType) {
            span.failed(errorType);
            keep("error.type", errorType);
        }

        @Override
        public void end() {
            span.end();
            log();
        }

        private void log() {
            long millis = (System.nanoTime() - startNanos) / 1_000_000;
            String traceId = span.traceId();
            try {
                for (String key : IN_MDC) if (fields.containsKey(key)) MDC.put(key, fields.get(key));
                if (traceId != null) MDC.put("trace_id", traceId);
                var record = LOG.atInfo().addKeyValue("latency_ms", millis);
                for (var field : fields.entrySet()) if (!IN_MDC.contains(field.getKey())) record = record.addKeyValue(field.getKey(), field.getValue());
                record.log("call {} {} {} in {} ms", fields.get("request_id"), fields.get("model"), fields.getOrDefault("outcome", "ended"), millis);
            } finally {
                for (String key : IN_MDC) MDC.remove(key);
                MDC.remove("trace_id");
            }
        }

        @Override
        public String traceId() {
            return span.traceId();
        }

        @Override
        public Scope current() {
            return span.current();
        }
    }
}
