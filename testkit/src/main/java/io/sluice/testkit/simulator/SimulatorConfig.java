package io.sluice.testkit.simulator;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How the simulator behaves. Immutable; change it at runtime with {@link Simulator#configure}.
 *
 * @param latency          delay before a non-streamed answer
 * @param timeToFirstChunk delay before the first chunk of a stream
 * @param chunkDelay       delay between chunks of a stream
 * @param faultRates       probability in [0, 1] of each fault per request; the rest are served normally
 * @param retryAfter       what a 429 or 503 says in Retry-After
 * @param rpmPerKey        requests per minute allowed per upstream key (Authorization header); 0 for no limit
 * @param models           the models {@code GET /v1/models} lists
 * @param seed             seed of the fault dice, so a run can be repeated
 * @param keyFaults        a fault every request on a given upstream key meets (the key as sent after "Bearer ")
 */
public record SimulatorConfig(Duration latency, Duration timeToFirstChunk, Duration chunkDelay,
                              Map<Fault, Double> faultRates, Duration retryAfter, int rpmPerKey,
                              List<String> models, long seed, Map<String, Fault> keyFaults) {
    public static final List<String> DEFAULT_MODELS = List.of("gpt-4o-mini", "gpt-4o", "gpt-4.1", "gpt-4.1-mini", "text-embedding-3-small");
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    public SimulatorConfig {
        faultRates = faultRates == null || faultRates.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(faultRates));
        faultRates.forEach((fault, rate) -> {
            if (rate < 0 || rate > 1) throw new IllegalArgumentException("fault rate of " + fault + " must be in [0, 1]");
        });
        double sum = faultRates.values().stream().mapToDouble(Double::doubleValue).sum();
        if (sum > 1.0000001) throw new IllegalArgumentException("fault rates must add up to at most 1, were " + sum);
        models = List.copyOf(models);
        keyFaults = keyFaults == null ? Map.of() : Map.copyOf(keyFaults);
    }

    public SimulatorConfig(Duration latency, Duration timeToFirstChunk, Duration chunkDelay, Map<Fault, Double> faultRates,
                           Duration retryAfter, int rpmPerKey, List<String> models, long seed) {
        this(latency, timeToFirstChunk, chunkDelay, faultRates, retryAfter, rpmPerKey, models, seed, Map.of());
    }

    /** Every request on {@code key} meets {@code fault}; null lifts it. */
    public SimulatorConfig withKeyFault(String key, Fault fault) {
        Map<String, Fault> faults = new java.util.HashMap<>(keyFaults);
        if (fault == null) faults.remove(key);
        else faults.put(key, fault);
        return new SimulatorConfig(latency, timeToFirstChunk, chunkDelay, faultRates, retryAfter, rpmPerKey, models, seed, faults);
    }

    public static SimulatorConfig ofDefaults() {
        return new SimulatorConfig(Duration.ZERO, Duration.ZERO, Duration.ZERO, Map.of(), DEFAULT_RETRY_AFTER, 0, DEFAULT_MODELS, 42);
    }

    public SimulatorConfig withLatency(Duration value) {
        return new SimulatorConfig(value, timeToFirstChunk, chunkDelay, faultRates, retryAfter, rpmPerKey, models, seed, keyFaults);
    }

    public SimulatorConfig withStreamTiming(Duration firstChunk, Duration betweenChunks) {
        return new SimulatorConfig(latency, firstChunk, betweenChunks, faultRates, retryAfter, rpmPerKey, models, seed, keyFaults);
    }

    public SimulatorConfig withFaultRate(Fault fault, double rate) {
        Map<Fault, Double> rates = new EnumMap<>(Fault.class);
        rates.putAll(faultRates);
        rates.put(fault, rate);
        return new SimulatorConfig(latency, timeToFirstChunk, chunkDelay, rates, retryAfter, rpmPerKey, models, seed, keyFaults);
    }

    public SimulatorConfig withRetryAfter(Duration value) {
        return new SimulatorConfig(latency, timeToFirstChunk, chunkDelay, faultRates, value, rpmPerKey, models, seed, keyFaults);
    }

    public SimulatorConfig withRpmPerKey(int value) {
        return new SimulatorConfig(latency, timeToFirstChunk, chunkDelay, faultRates, retryAfter, value, models, seed, keyFaults);
    }
}
