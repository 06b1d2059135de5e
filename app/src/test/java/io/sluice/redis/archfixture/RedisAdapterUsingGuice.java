package io.sluice.redis.archfixture;

/** Breaks "only app uses Guice" on purpose; lives in test sources only. */
public class RedisAdapterUsingGuice {
    @com.google.inject.Inject
    Object injected;
}
