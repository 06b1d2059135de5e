package io.sluice.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.ports.out.CallEvents;
import io.sluice.ports.out.UpstreamEvents;
import java.util.Map;

/** What the engine reports, as Prometheus meters: calls by how they ended, the response cache, upstream retries and errors. */
final class EngineMeters {
    private EngineMeters() {}

    /** Upstream attempts retried (by the retry table's class), and failed (by endpoint and how: 429s apart from 503s). */
    static UpstreamEvents upstream(PrometheusMeterRegistry meters) {
        return new UpstreamEvents() {
            @Override
            public void retried(String model, String endpoint, String reason) {
                io.micrometer.core.instrument.Counter.builder("sluice.upstream.retries").description("Upstream attempts that failed and were retried")
                        .tag("model", model).tag("endpoint", endpoint).tag("reason", reason).register(meters).increment();
            }

            @Override
            public void failed(String endpoint, String errorType) {
                io.micrometer.core.instrument.Counter.builder("sluice.upstream.errors")
                        .description("Upstream attempts that failed, by endpoint and how: 429s (rate_limited) apart from 503s (unavailable)")
                        .tag("endpoint", endpoint).tag("error.type", errorType).register(meters).increment();
            }
        };
    }

    /** Calls by how they ended, and bills that could not be written; each counter registered once, not on every call. */
    static CallEvents calls(PrometheusMeterRegistry meters) {
        io.micrometer.core.instrument.Counter unwritten = io.micrometer.core.instrument.Counter.builder("sluice.bills.unwritten")
                .description("Bills that could not be written to the ledger (each logged with its request id)").register(meters);
        Map<String, io.micrometer.core.instrument.Counter> ended = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, io.micrometer.core.instrument.Counter> lookups = new java.util.concurrent.ConcurrentHashMap<>();
        return new CallEvents() {
            @Override
            public void ended(String outcome) {
                ended.computeIfAbsent(outcome, o -> io.micrometer.core.instrument.Counter.builder("sluice.calls.ended")
                        .description("Chat calls by how they ended").tag("outcome", o).register(meters)).increment();
            }

            @Override
            public void billUnwritten() {
                unwritten.increment();
            }

            @Override
            public void cache(String status) {
                lookups.computeIfAbsent(status, r -> io.micrometer.core.instrument.Counter.builder("sluice.response.cache")
                        .description("Chat calls by the response cache's part in them: hit, miss or bypass").tag("result", r).register(meters)).increment();
            }
        };
    }
}
