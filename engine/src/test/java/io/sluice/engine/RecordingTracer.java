package io.sluice.engine;

import io.sluice.ports.out.TraceHeaders;
import io.sluice.ports.out.CallTracer;
import io.sluice.ports.out.TraceSpan;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Keeps every span the engine starts, with its attributes, events, failure and how many times it was ended. */
final class RecordingTracer implements CallTracer {
    final List<Recorded> spans = new CopyOnWriteArrayList<>();

    @Override
    public TraceSpan start(String name, TraceHeaders parent) {
        return record(name, null, TraceSpan.Kind.INTERNAL);
    }

    private Recorded record(String name, Recorded parent, TraceSpan.Kind kind) {
        Recorded span = new Recorded(name, parent, kind);
        spans.add(span);
        return span;
    }

    List<Recorded> named(String name) {
        return spans.stream().filter(s -> s.name.equals(name)).toList();
    }

    final class Recorded implements TraceSpan {
        final String name;
        final Recorded parent;
        final Kind kind;
        final Map<String, Object> attributes = new ConcurrentHashMap<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        final AtomicInteger ends = new AtomicInteger();
        volatile String errorType;

        Recorded(String name, Recorded parent, Kind kind) {
            this.name = name;
            this.parent = parent;
            this.kind = kind;
        }

        @Override
        public TraceSpan child(String childName, Kind childKind) {
            return record(childName, this, childKind);
        }

        @Override
        public TraceSpan attribute(String key, String value) {
            if (value != null) attributes.put(key, value);
            return this;
        }

        @Override
        public TraceSpan attribute(String key, long value) {
            attributes.put(key, value);
            return this;
        }

        @Override
        public TraceSpan attribute(String key, boolean value) {
            attributes.put(key, value);
            return this;
        }

        @Override
        public TraceSpan attribute(String key, List<String> values) {
            attributes.put(key, values);
            return this;
        }

        @Override
        public void event(String eventName) {
            events.add(eventName);
        }

        @Override
        public void failed(String type) {
            errorType = type;
        }

        @Override
        public void end() {
            ends.incrementAndGet();
        }

        @Override
        public String traceId() {
            return null;
        }

        @Override
        public Scope current() {
            return () -> { };
        }
    }
}
