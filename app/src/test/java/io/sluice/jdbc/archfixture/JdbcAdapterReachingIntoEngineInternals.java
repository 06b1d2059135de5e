package io.sluice.jdbc.archfixture;

/** Breaks "no module reaches into another's internals" on purpose; lives in test sources only. */
public class JdbcAdapterReachingIntoEngineInternals {
    Object accumulator = new io.sluice.engine.internal.StreamAccumulator();
}
