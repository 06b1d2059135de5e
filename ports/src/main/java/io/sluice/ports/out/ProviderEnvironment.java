package io.sluice.ports.out;

import java.util.Optional;

/**
 * Shared services the host offers to provider plugins (for example the gateway's Vert.x instance, so that a
 * plugin does not start event loops of its own). Looked up by type; a plugin must cope with absence.
 */
public interface ProviderEnvironment {
    <T> Optional<T> lookup(Class<T> type);

    ProviderEnvironment EMPTY = new ProviderEnvironment() {
        @Override
        public <T> Optional<T> lookup(Class<T> type) {
            return Optional.empty();
        }
    };
}
