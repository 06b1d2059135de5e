package io.sluice.domain.limits;

import io.sluice.domain.Require;

/** A limit and what a call costs against it: 1 for a request limit, its tokens for a token limit. */
public record LimitCheck(Limit limit, long cost) {
    public LimitCheck {
        Require.nonNull(limit, "limit");
        if (cost < 0) throw new IllegalArgumentException("'cost' must not be negative");
    }
}
