package io.sluice.ports.in;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Whether the gateway can serve calls now, and how each of its dependencies is. */
public interface Readiness {
    /**
     * Each dependency's state ({@code up} or {@code down}) by name. Not {@code ready} when one the gateway cannot serve
     * without is down (the database); ready but degraded when only one it can do without is down (Redis).
     */
    record Status(boolean ready, Map<String, String> checks) {
        public Status {
            checks = Map.copyOf(checks);
        }

        /** {@code UP}, {@code DEGRADED} or {@code DOWN}. */
        public String label() {
            if (!ready) return "DOWN";
            return checks.containsValue("down") ? "DEGRADED" : "UP";
        }
    }

    /** Answers promptly, whatever a dependency does. */
    CompletionStage<Status> check();
}
