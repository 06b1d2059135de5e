package io.sluice.http.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A metric label whose values come from outside (an upstream's model name, an upstream's error code): the first
 * {@code max} distinct values are kept, every later one is {@code _other}. Each value is a time series per meter, and
 * a client or an upstream that sent a new one on every call would otherwise grow {@code /metrics} without bound.
 */
final class BoundedLabel {
    static final String OTHER = "_other";

    private final int max;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    BoundedLabel(int max) {
        this.max = max;
    }

    String of(String value) {
        if (value == null || value.isEmpty() || seen.contains(value)) return value;
        if (seen.size() >= max) return OTHER;
        seen.add(value); // a race may let a few past max; the bound still holds within a handful
        return value;
    }
}
