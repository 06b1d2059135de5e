package io.sluice.testkit.simulator;

import java.util.Map;

/**
 * The simulator's own count of what it served: requests received, answers completed, the tokens it billed
 * (cut streams bill what they sent), and how many of each fault it injected.
 */
public record SimulatorStats(long requests, long served, long promptTokens, long completionTokens, Map<Fault, Long> faults) {
    public long faults(Fault fault) {
        return faults.getOrDefault(fault, 0L);
    }
}
