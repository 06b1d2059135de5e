package io.sluice.app.config;

import java.util.List;

/**
 * The failover side of a provider: its weight among the endpoints of a model, and its API keys with their own
 * requests- and tokens-per-minute budgets (0: unlimited). A provider with no {@code keys} list has one key, its {@code api-key}.
 */
public record EndpointSettings(String provider, int weight, List<Key> keys) {
    public record Key(String apiKey, int rpm, long tpm) {
        public Key(String apiKey, int rpm) {
            this(apiKey, rpm, 0);
        }

        @Override
        public String toString() {
            return "Key[apiKey=***, rpm=" + rpm + ", tpm=" + tpm + "]";
        }
    }

    public EndpointSettings {
        if (weight < 1) throw new IllegalArgumentException("'weight' must be positive, was " + weight);
        keys = List.copyOf(keys);
    }
}
