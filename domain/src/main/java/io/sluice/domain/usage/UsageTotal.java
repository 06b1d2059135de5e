package io.sluice.domain.usage;

import java.math.BigDecimal;
import java.util.Map;

/**
 * One group's totals: its value per grouped dimension (e.g. day "2026-11-23", model "gpt-4o"; null where the entries
 * have none, such as the conversation of stateless calls), then the sums. {@code cacheHits} of the {@code requests}
 * were answered from the response cache, and saved {@code saved} dollars between them.
 */
public record UsageTotal(Map<UsageQuery.Dimension, String> group, long requests, long inputTokens, long outputTokens, long cachedTokens,
                         BigDecimal cost, long cacheHits, BigDecimal saved) {
    public UsageTotal {
        group = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(group));
        saved = saved == null ? BigDecimal.ZERO : saved;
    }

    public UsageTotal(Map<UsageQuery.Dimension, String> group, long requests, long inputTokens, long outputTokens, long cachedTokens,
                      BigDecimal cost) {
        this(group, requests, inputTokens, outputTokens, cachedTokens, cost, 0, BigDecimal.ZERO);
    }
}
