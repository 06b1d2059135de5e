package io.sluice.domain.usage;

import java.math.BigDecimal;
import java.util.Map;

/**
 * One group's totals: its value per grouped dimension (e.g. day "2026-11-23", model "gpt-4o"; null where the entries
 * have none, such as the conversation of stateless calls), then the sums.
 */
public record UsageTotal(Map<UsageQuery.Dimension, String> group, long requests, long inputTokens, long outputTokens, long cachedTokens,
                         BigDecimal cost) {
    public UsageTotal {
        group = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(group));
    }
}
