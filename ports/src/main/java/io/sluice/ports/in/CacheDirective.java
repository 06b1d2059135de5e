package io.sluice.ports.in;

import java.util.Locale;

/**
 * What a call's {@code Cache-Control} header asks of the response cache: {@code no-cache} skips the lookup (the
 * answer is fetched fresh, and kept), {@code no-store} skips both the lookup and keeping the answer.
 */
public enum CacheDirective {
    DEFAULT, NO_CACHE, NO_STORE;

    /** Reads a {@code Cache-Control} header; unknown directives are ignored, and {@code no-store} wins over {@code no-cache}. */
    public static CacheDirective parse(String header) {
        if (header == null || header.isBlank() || header.length() > 1024) return DEFAULT;
        CacheDirective directive = DEFAULT;
        for (String part : header.split(",")) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            int eq = name.indexOf('=');
            if (eq >= 0) name = name.substring(0, eq).strip();
            if (name.equals("no-store")) return NO_STORE;
            if (name.equals("no-cache")) directive = NO_CACHE;
        }
        return directive;
    }

    /** Whether the call may be answered from the cache. */
    public boolean mayRead() {
        return this == DEFAULT;
    }

    /** Whether the call's answer may be kept. */
    public boolean mayStore() {
        return this != NO_STORE;
    }
}
